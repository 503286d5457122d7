package io.inlet.infra;

import io.inlet.infra.access.KafkaAccessScope;
import io.inlet.infra.access.PolicyTemplates;
import io.inlet.infra.context.InletContext;
import io.inlet.infra.encryption.DeploymentKey;
import io.inlet.infra.kafka.AuthMode;
import io.inlet.infra.kafka.BootstrapBrokers;
import io.inlet.infra.kafka.ClusterMode;
import io.inlet.infra.kafka.KafkaCluster;
import io.inlet.infra.kafka.ProvisionedKafka;
import io.inlet.infra.kafka.ServerlessKafka;
import io.inlet.infra.monitoring.LagMonitoring;
import io.inlet.infra.nag.Suppressions;
import io.inlet.infra.naming.Names;
import io.inlet.infra.naming.ResourceTags;
import io.inlet.infra.network.ClusterAccess;
import io.inlet.infra.network.Network;
import io.inlet.infra.service.IngestService;
import io.inlet.infra.stream.KinesisSource;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.IManagedPolicy;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Everything Inlet needs on AWS for one deployment: network, MSK, the ingest service, its access, lag alarms and
 * scaling, and the outputs other apps consume.
 */
public final class InletStack extends Stack {
    /** Response field of {@code getBootstrapBrokers} for the private SASL/SCRAM listener. */
    static final String SASL_SCRAM_FIELD = AuthMode.SCRAM.bootstrapField(false);

    private final int availabilityZoneCount;
    private final KafkaCluster kafka;
    private final IngestService ingest;
    private final BootstrapBrokers bootstrap;
    private final Optional<KinesisSource> kinesis;

    public InletStack(Construct scope, InletContext context, Path imageDirectory) {
        super(scope, Names.of(context.deployment()).stack(), StackProps.builder()
                .env(Environment.builder()
                        .account(context.deployment().account())
                        .region(context.deployment().region())
                        .build())
                .description("Inlet " + Names.of(context.deployment()).prefix()
                        + ": MSK, the ingest service on ECS Fargate, its access, lag alarms and scaling")
                .build());
        this.availabilityZoneCount = context.network().availabilityZoneCount();
        Names names = Names.of(context.deployment());
        ResourceTags tags = ResourceTags.of(context.deployment());
        tags.apply(this, "inlet", "compute", names.prefix());

        Network network = new Network(this, "Network", context.network(), names, tags,
                context.service().logRetentionDays());
        ClusterAccess access = new ClusterAccess(this, "ClusterAccess", network, context.kafka(),
                context.warehouse(), names, tags);
        DeploymentKey key = new DeploymentKey(this, "DeploymentKey", names, tags);

        kafka = context.kafka().mode() == ClusterMode.SERVERLESS
                ? new ServerlessKafka(this, "Kafka", network, access, names, tags)
                : new ProvisionedKafka(this, "Kafka", context.kafka(), network, access, key.key(), names, tags,
                context.service().logRetentionDays());

        List<String> bootstrapFields = new ArrayList<>(List.of(context.kafka().bootstrapField()));
        if (context.kafka().auth() == AuthMode.SCRAM && !bootstrapFields.contains(SASL_SCRAM_FIELD)) {
            bootstrapFields.add(SASL_SCRAM_FIELD);
        }
        bootstrap = new BootstrapBrokers(this, "BootstrapBrokers", kafka, bootstrapFields);
        String bootstrapServers = bootstrap.value(context.kafka().bootstrapField());

        List<IManagedPolicy> taskPolicies = new ArrayList<>();
        if (context.kafka().auth() == AuthMode.IAM) {
            KafkaAccessScope accessScope = new KafkaAccessScope(Aws.PARTITION, context.deployment().region(),
                    context.deployment().account(), kafka.clusterName(),
                    // arn:aws:kafka:{region}:{account}:cluster/{name}/{uuid}: the uuid is known only after deploy.
                    Fn.select(2, Fn.split("/", kafka.clusterArn())),
                    context.kafka().topics(),
                    context.kafka().consumerGroups().stream().map(g -> g.name()).toList(),
                    context.warehouse().catalogTopic());
            taskPolicies.add(ManagedPolicy.Builder.create(this, "ClusterAccessPolicy")
                    .managedPolicyName(names.clusterAccessPolicy())
                    .description("Consume the configured topics of " + names.msk() + " as the configured groups"
                            + (accessScope.catalogTopic().isPresent()
                            ? "; produce transactionally and keep the job catalog topic" : ""))
                    .document(PolicyTemplates.document(PolicyTemplates.mskClusterAccessJson(accessScope)))
                    .build());
        }

        ingest = new IngestService(this, "Ingest", context, names, tags, network, access, kafka, bootstrapServers,
                key.key(), imageDirectory, taskPolicies);
        kinesis = context.kinesis().map(settings ->
                new KinesisSource(this, "Kinesis", settings, ingest.taskRole(), names, tags));
        LagMonitoring monitoring = new LagMonitoring(this, "LagMonitoring", kafka.clusterName(), context.kafka(),
                context.lag(), context.alarms(), context.service(), ingest.service(), key.key(), names, tags);

        output("BootstrapServers", bootstrapServers, "Bootstrap brokers of the " + context.kafka().auth().name()
                + " listener (port " + context.kafka().clientPort() + ") for Kafka clients and producers");
        if (context.kafka().auth() == AuthMode.SCRAM) {
            output("BootstrapServersSaslScram", bootstrap.value(SASL_SCRAM_FIELD),
                    "Bootstrap brokers of the private SASL/SCRAM listener (port 9096)");
            output("ScramSecretArn", kafka.scramSecret().orElseThrow().getSecretArn(),
                    "AmazonMSK_ secret with the SCRAM user name and password of the ingest service");
        }
        output("ClusterArn", kafka.clusterArn(), "ARN of the MSK cluster (kafka-cluster IAM policies, the CLI)");
        output("ClusterName", kafka.clusterName(), "Name of the MSK cluster (CloudWatch 'Cluster Name' dimension)");
        output("ServiceName", ingest.service().getServiceName(), "ECS service running the ingest runtime");
        output("EcsClusterName", ingest.cluster().getClusterName(), "ECS cluster of the ingest service");
        output("TaskRoleArn", ingest.taskRole().getRoleArn(),
                "Role of the ingest tasks: grant it access to further topics, streams or buckets");
        output("ServiceSecurityGroupId", access.serviceGroup().getSecurityGroupId(),
                "Security group of the ingest tasks: allow it in the warehouse's inbound rules");
        output("ApiTokenSecretArn", ingest.apiToken().getSecretArn(),
                "Secret holding the bearer token of the ingest service API");
        output("AlarmTopicArn", monitoring.topic().getTopicArn(), "SNS topic of the consumer-lag alarms");
        output("LogGroupName", ingest.logGroup().getLogGroupName(), "CloudWatch log group of the ingest service");
        output("VpcId", network.vpc().getVpcId(), "VPC of the cluster and the service");
        kinesis.ifPresent(k -> output("KinesisStreamArn", k.stream().getStreamArn(),
                "Kinesis data stream the ingest service may read"));

        Suppressions.apply(this, ingest, kafka, access, context.kafka().publicAccess());
    }

    /**
     * The region's first AZs as resolved by CloudFormation ({@code Fn::GetAZs}), rather than names looked up at synth:
     * no lookup, and no hard-coded zone names in the template.
     */
    @Override
    public List<String> getAvailabilityZones() {
        return IntStream.range(0, availabilityZoneCount).mapToObj(i -> Fn.select(i, Fn.getAzs())).toList();
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id)
                .value(value)
                .description(description)
                .exportName(getStackName() + "-" + id)
                .build();
    }

    public KafkaCluster kafka() {
        return kafka;
    }

    public IngestService ingest() {
        return ingest;
    }
}
