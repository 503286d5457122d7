package io.inlet.infra.nag;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import io.inlet.infra.InletStack;
import io.inlet.infra.druid.DruidConsumer;
import io.inlet.infra.kafka.KafkaCluster;
import io.inlet.infra.service.IngestService;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.constructs.IConstruct;

import java.util.List;
import java.util.Optional;

/** The cdk-nag AwsSolutions findings this stack accepts, each on one resource, with the rule and the reason. */
public final class Suppressions {
    /** Construct id of the Lambda function that CDK shares between all AwsCustomResource instances of a stack. */
    private static final String AWS_CUSTOM_RESOURCE_PROVIDER = "AWS679f53fac002430cb0da5b7982bd2287";

    private Suppressions() {
    }

    public static void apply(Stack stack, Optional<InletStack.IngestDeployment> ingest, KafkaCluster kafka,
                             Optional<DruidConsumer> druid) {
        ingest.ifPresent(deployment -> {
            IngestService service = deployment.service();
            suppress(service.taskDefinition(), "AwsSolutions-ECS2",
                    "Environment values carry only non-secret configuration: the region, the bootstrap brokers, the "
                            + "rendered runtime YAML (no credentials) and job statements whose credentials are "
                            + "@INLET_...@ placeholders; every credential is an ECS secret from Secrets Manager.");
            suppress(service.taskDefinition().obtainExecutionRole().getNode().findChild("DefaultPolicy"),
                    "AwsSolutions-IAM5",
                    "ecr:GetAuthorizationToken supports no resource-level permissions, so CDK grants it on '*'; "
                            + "every other statement of the execution role names its repository, log group or secret.",
                    "Resource::*");
            suppress(service.apiToken(), "AwsSolutions-SMG4",
                    "The API bearer token is generated once and read at task start; rotation is an operator action "
                            + "(put a new value, then force a new deployment) because clients must change with it.");
            suppress(deployment.api().accessLogs(), "AwsSolutions-S1",
                    "This bucket receives the API load balancer's access logs; logging its own object accesses to "
                            + "another bucket would only log the log delivery.");
        });
        kafka.scramSecret().ifPresent(secret -> suppress(secret, "AwsSolutions-SMG4",
                "MSK reads SCRAM credentials from this AmazonMSK_ secret and the tasks read it at start; MSK offers "
                        + "no managed rotation for SCRAM users, so rotation is an operator action followed by a new "
                        + "deployment of the service."));
        druid.ifPresent(consumer -> NagSuppressions.addResourceSuppressions(
                consumer.policy().getNode().getDefaultChild(), List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason("Seed 004's grant: Druid creates and reads topics and consumer groups whose names "
                                + "are chosen in its supervisor specs, after deploy; every wildcard is confined to "
                                + "this one cluster's name (cluster/, topic/ and group/" + kafka.clusterName()
                                + "/*).")
                        .appliesTo(List.of(RegexAppliesTo.builder()
                                .regex("/^Resource::arn:[^:]+:kafka:[^:]+:[^:]+:(cluster|topic|group)/"
                                        + kafka.clusterName()
                                        + "\\/\\*$/")
                                .build()))
                        .build()), false));
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
