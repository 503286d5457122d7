package io.inlet.infra.nag;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.inlet.infra.kafka.KafkaCluster;
import io.inlet.infra.network.ClusterAccess;
import io.inlet.infra.service.IngestService;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.constructs.IConstruct;

import java.util.List;

/** The cdk-nag AwsSolutions findings this stack accepts, each on one resource, with the rule and the reason. */
public final class Suppressions {
    /** Construct id of the Lambda function that CDK shares between all AwsCustomResource instances of a stack. */
    private static final String AWS_CUSTOM_RESOURCE_PROVIDER = "AWS679f53fac002430cb0da5b7982bd2287";

    private Suppressions() {
    }

    public static void apply(Stack stack, IngestService ingest, KafkaCluster kafka, ClusterAccess access,
                             boolean publicAccess) {
        if (publicAccess) {
            suppress(access.clusterGroup(), "CdkNagValidationFailure",
                    "AwsSolutions-EC23 cannot evaluate a CIDR built from the NAT gateway's Elastic IP (Fn::GetAtt); "
                            + "the only such rules are /32 of that address on the public listener port.",
                    "AwsSolutions-EC23");
        }
        suppress(ingest.taskDefinition(), "AwsSolutions-ECS2",
                "Environment values carry only non-secret configuration: the region, the bootstrap brokers, the "
                        + "rendered runtime YAML (no credentials) and job statements whose credentials are "
                        + "@INLET_...@ placeholders; every credential is an ECS secret from Secrets Manager.");
        suppress(ingest.taskDefinition().obtainExecutionRole().getNode().findChild("DefaultPolicy"),
                "AwsSolutions-IAM5",
                "ecr:GetAuthorizationToken supports no resource-level permissions, so CDK grants it on '*'; "
                        + "every other statement of the execution role names its repository, log group or secret.",
                "Resource::*");
        suppress(ingest.apiToken(), "AwsSolutions-SMG4",
                "The API bearer token is generated once and read at task start; rotation is an operator action "
                        + "(put a new value, then force a new deployment) because clients must change with it.");
        kafka.scramSecret().ifPresent(secret -> suppress(secret, "AwsSolutions-SMG4",
                "MSK reads SCRAM credentials from this AmazonMSK_ secret and the tasks read it at start; MSK offers "
                        + "no managed rotation for SCRAM users, so rotation is an operator action followed by a new "
                        + "deployment of the service."));
        IConstruct provider = stack.getNode().tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER);
        if (provider != null) {
            suppress(provider.getNode().findChild("ServiceRole"), "AwsSolutions-IAM4",
                    "The Lambda function behind the Kafka.getBootstrapBrokers custom resource (CDK's "
                            + AwsCustomResource.class.getSimpleName() + ") logs with AWSLambdaBasicExecutionRole; its "
                            + "only other permission is kafka:GetBootstrapBrokers on the cluster's ARN.",
                    "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
        }
    }

    /** Suppresses on the one CloudFormation resource behind a construct, not on anything beneath it. */
    private static void suppress(IConstruct construct, String rule, String reason, String... appliesTo) {
        NagPackSuppression.Builder suppression = NagPackSuppression.builder().id(rule).reason(reason);
        if (appliesTo.length > 0) {
            suppression.appliesTo(List.of((Object[]) appliesTo));
        }
        IConstruct resource = construct instanceof CfnResource ? construct
                : (IConstruct) construct.getNode().getDefaultChild();
        NagSuppressions.addResourceSuppressions(resource, List.of(suppression.build()), false);
    }
}
