package io.inlet.infra;

import io.inlet.infra.access.KafkaAccessScope;
import io.inlet.infra.access.PolicyTemplates;
import io.inlet.infra.context.CatalogKafka;
import io.inlet.infra.context.InletContext;
import io.inlet.infra.context.InletContextKeys;
import io.inlet.infra.context.KafkaSettings;
import io.inlet.infra.context.WarehouseSettings;
import io.inlet.infra.druid.DruidConsumer;
import io.inlet.infra.druid.DruidSupervisorSpec;
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
import io.inlet.infra.service.ApiLoadBalancer;
import io.inlet.infra.service.IngestService;
import io.inlet.infra.stream.KinesisSource;
import software.amazon.awscdk.Annotations;
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
import java.util.LinkedHashSet;
import java.util.Set;
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
    private final Optional<IngestDeployment> ingest;
    private final Optional<DruidConsumer> druid;
    private final BootstrapBrokers bootstrap;

    public InletStack(Construct scope, InletContext context, Path imageDirectory) {
        super(scope, Names.of(context.deployment()).stack(), StackProps.builder()
                .env(Environment.builder()
                        .account(context.deployment().account().orElse(null))
                        .region(context.deployment().region())
                        .build())
                .description("Inlet " + Names.of(context.deployment()).prefix() + ": MSK"
                        + (context.ingestService() ? ", the ingest service on ECS Fargate behind an internal load "
                        + "balancer, its access, lag alarms and scaling" : "")
                        + (context.druid().isPresent() ? ", Druid's access (seed 004)" : ""))
                .build());
        this.availabilityZoneCount = context.network().availabilityZoneCount();
        Names names = Names.of(context.deployment());
        ResourceTags tags = ResourceTags.of(context.deployment());
        tags.apply(this, "inlet", "compute", names.prefix());
        KafkaSettings kafkaSettings = context.kafka();

        Network network = new Network(this, "Network", context.network(), names, tags,
                context.service().logRetentionDays());
        ClusterAccess access = new ClusterAccess(this, "ClusterAccess", network, kafkaSettings, context.warehouse(),
                context.druid(), names, tags);
        boolean provisioned = kafkaSettings.mode() == ClusterMode.PROVISIONED;
        Optional<DeploymentKey> key = provisioned || context.ingestService()
                ? Optional.of(new DeploymentKey(this, "DeploymentKey", names, tags)) : Optional.empty();

        kafka = provisioned
                ? new ProvisionedKafka(this, "Kafka", kafkaSettings, network, access, key.orElseThrow().key(), names,
                tags, context.service().logRetentionDays())
                : new ServerlessKafka(this, "Kafka", network, access, names, tags);

        Set<String> bootstrapFields = new LinkedHashSet<>(List.of(kafkaSettings.bootstrapField()));
        if (kafkaSettings.publicAccess()) {
            bootstrapFields.add(kafkaSettings.publicBootstrapField());
        }
        if (kafkaSettings.auth() == AuthMode.SCRAM) {
            bootstrapFields.add(SASL_SCRAM_FIELD);
        }
        bootstrap = new BootstrapBrokers(this, "BootstrapBrokers", kafka, List.copyOf(bootstrapFields));
        String bootstrapServers = bootstrap.value(kafkaSettings.bootstrapField());

        output("BootstrapServers", bootstrapServers, "Bootstrap brokers of the private " + kafkaSettings.auth().name()
                + " listener (port " + kafkaSettings.clientPort() + ") for Kafka clients in the VPC");
        if (kafkaSettings.publicAccess()) {
            output("BootstrapServersPublic", bootstrap.value(kafkaSettings.publicBootstrapField()),
                    "Bootstrap brokers of the public " + kafkaSettings.auth().name() + " listener (port "
                            + kafkaSettings.publicPort() + ") for clients outside the VPC");
        }
        if (kafkaSettings.auth() == AuthMode.SCRAM) {
            output("BootstrapServersSaslScram", bootstrap.value(SASL_SCRAM_FIELD),
                    "Bootstrap brokers of the private SASL/SCRAM listener (port 9096)");
            output("ScramSecretArn", kafka.scramSecret().orElseThrow().getSecretArn(),
                    "AmazonMSK_ secret with the SCRAM user name and password of the ingest service");
        }
        output("ClusterArn", kafka.clusterArn(), "ARN of the MSK cluster (kafka-cluster IAM policies, the CLI)");
        output("ClusterName", kafka.clusterName(), "Name of the MSK cluster (CloudWatch 'Cluster Name' dimension)");
        output("VpcId", network.vpc().getVpcId(), "VPC of the cluster and the service");

        if (context.ingestService()) {
            ingest = Optional.of(ingestService(context, names, tags, network, access, key.orElseThrow(),
                    bootstrapServers, imageDirectory));
        } else {
            ingest = Optional.empty();
            Annotations.of(this).addInfo("No Inlet ingest service: " + InletContextKeys.WAREHOUSE_ENDPOINT.name()
                    + " is not set. Set it with " + InletContextKeys.WAREHOUSE_SECRET_ARN.name() + ", "
                    + InletContextKeys.MSK_TOPICS.name() + ", " + InletContextKeys.MSK_CONSUMER_GROUPS.name()
                    + ", an alarm target and API clients to deploy the service (infra/README.md).");
        }

        druid = context.druid().map(settings -> {
            DruidConsumer consumer = new DruidConsumer(this, "Druid", settings, context.deployment(), names, tags);
            output("DruidKafkaBootstrapServers", bootstrap.value(AuthMode.IAM.bootstrapField(false)),
                    "Bootstrap brokers of " + names.msk() + " for Druid: IAM listener (9098), SASL_SSL with "
                            + "AWS_MSK_IAM");
            output("DruidClusterAccessPolicyArn", consumer.policy().getManagedPolicyArn(),
                    "Druid's access to " + names.msk() + " (" + names.druid("cluster-access") + ")");
            consumer.role().ifPresent(role -> output("DruidServiceAccountRoleArn", role.getRoleArn(),
                    "Role of the service account " + DruidConsumer.NAMESPACE + "/" + consumer.serviceAccount()
                            + " (eks.amazonaws.com/role-arn annotation)"));
            CfnOutput.Builder.create(this, "DruidSupervisorSpec")
                    .value(DruidSupervisorSpec.compact(DruidSupervisorSpec.render(
                            bootstrap.value(AuthMode.IAM.bootstrapField(false)), settings.topic())))
                    .description("Kafka supervisor spec for Druid on " + names.msk() + ": POST it to "
                            + "/druid/indexer/v1/supervisor")
                    .build();
            return consumer;
        });

        Suppressions.apply(this, ingest, kafka, druid);
    }

    private IngestDeployment ingestService(InletContext context, Names names, ResourceTags tags, Network network,
                                           ClusterAccess access, DeploymentKey key, String bootstrapServers,
                                           Path imageDirectory) {
        KafkaSettings kafkaSettings = context.kafka();
        WarehouseSettings warehouse = context.warehouse().orElseThrow();
        Optional<CatalogKafka> catalogKafka = CatalogKafka.of(warehouse, context.kinesis());
        List<IManagedPolicy> taskPolicies = new ArrayList<>();
        if (kafkaSettings.auth() == AuthMode.IAM) {
            KafkaAccessScope accessScope = new KafkaAccessScope(Aws.PARTITION, context.deployment().region(),
                    context.deployment().account().orElse(Aws.ACCOUNT_ID), kafka.clusterName(),
                    // arn:aws:kafka:{region}:{account}:cluster/{name}/{uuid}: the uuid is known only after deploy.
                    Fn.select(2, Fn.split("/", kafka.clusterArn())),
                    kafkaSettings.topics(),
                    kafkaSettings.consumerGroups().stream().map(g -> g.name()).toList(),
                    catalogKafka);
            taskPolicies.add(ManagedPolicy.Builder.create(this, "ClusterAccessPolicy")
                    .managedPolicyName(names.clusterAccessPolicy())
                    // Not extended for Kinesis jobs: a new description replaces a managed policy, and this one's
                    // fixed name would make that replacement fail.
                    .description("Consume the configured topics of " + names.msk() + " as the configured groups"
                            + (accessScope.catalogTopic().isPresent()
                            ? "; produce transactionally and keep the job catalog topic" : ""))
                    .document(PolicyTemplates.document(PolicyTemplates.mskClusterAccessJson(accessScope)))
                    .build());
        }

        Optional<KinesisSource> kinesis = context.kinesis().map(settings ->
                new KinesisSource(this, "Kinesis", settings, names, tags));
        kinesis.ifPresent(k -> taskPolicies.add(k.readPolicy()));
        IngestService service = new IngestService(this, "Ingest", context, warehouse, names, tags, network, access,
                kafka, bootstrapServers, kinesis.map(KinesisSource::stream), catalogKafka, key.key(), imageDirectory,
                taskPolicies);
        ApiLoadBalancer api = new ApiLoadBalancer(this, "Api", context.service(), network, service.service(), names,
                tags);
        LagMonitoring monitoring = new LagMonitoring(this, "LagMonitoring", kafka.clusterName(), kafkaSettings,
                context.lag(), context.alarms().orElseThrow(), context.service(), service.service(), key.key(), names,
                tags);

        output("ApiUrl", api.url(), "The ingest API through its internal load balancer (bearer token: "
                + "ApiTokenSecretArn)");
        output("ServiceName", service.service().getServiceName(), "ECS service running the ingest runtime");
        output("EcsClusterName", service.cluster().getClusterName(), "ECS cluster of the ingest service");
        output("TaskRoleArn", service.taskRole().getRoleArn(),
                "Role of the ingest tasks: grant it access to further topics, streams or buckets");
        output("ServiceSecurityGroupId", access.serviceGroup().getSecurityGroupId(),
                "Security group of the ingest tasks: allow it in the warehouse's inbound rules");
        output("ApiTokenSecretArn", service.apiToken().getSecretArn(),
                "Secret holding the bearer token of the ingest service API");
        output("AlarmTopicArn", monitoring.topic().getTopicArn(), "SNS topic of the consumer-lag alarms");
        output("LogGroupName", service.logGroup().getLogGroupName(), "CloudWatch log group of the ingest service");
        kinesis.ifPresent(k -> {
            output("KinesisStreamArn", k.stream().getStreamArn(), "Kinesis data stream the ingest service may read");
            output("KinesisStreamName", k.stream().getStreamName(),
                    "Name of the Kinesis data stream, the kinesis_stream of FROM KINESIS jobs");
        });
        return new IngestDeployment(service, api);
    }

    /** The ingest service and the load balancer in front of its API. */
    public record IngestDeployment(IngestService service, ApiLoadBalancer api) {
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

    /** The ingest service and its load balancer; only with a warehouse. */
    public Optional<IngestDeployment> ingest() {
        return ingest;
    }

    public Optional<DruidConsumer> druid() {
        return druid;
    }
}
