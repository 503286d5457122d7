package io.inlet.infra.service;

import io.inlet.infra.context.CatalogKafka;
import io.inlet.infra.context.InletContext;
import io.inlet.infra.kafka.KafkaCluster;
import io.inlet.infra.naming.Names;
import io.inlet.infra.naming.ResourceTags;
import io.inlet.infra.network.ClusterAccess;
import io.inlet.infra.network.Network;
import io.inlet.infra.context.WarehouseSettings;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ecr.assets.Platform;
import software.amazon.awscdk.services.ecs.AssetImageProps;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinition;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.HealthCheck;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.PropagatedTagSource;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.iam.IManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ECS cluster (Container Insights on) and the Fargate service running the ingest runtime image built from
 * {@code ingest-runtime/Dockerfile}. Configuration reaches the container as environment values; credentials only as
 * ECS secrets from Secrets Manager.
 */
public final class IngestService extends Construct {
    public static final String CONTAINER_NAME = "ingest";
    /** The runtime's liveness endpoint (no token), for the container health check. */
    public static final String LIVENESS_PATH = "/healthz";
    public static final Duration STOP_TIMEOUT = Duration.seconds(120);
    /** How long a new task may restore its jobs (its /readyz answering 503) before the load balancer's checks count. */
    public static final Duration READINESS_GRACE = Duration.seconds(300);

    private final Cluster cluster;
    private final Role taskRole;
    private final FargateService service;
    private final FargateTaskDefinition taskDefinition;
    private final LogGroup logGroup;
    private final software.amazon.awscdk.services.secretsmanager.Secret apiToken;

    public IngestService(Construct scope, String id, InletContext context, WarehouseSettings warehouse, Names names,
                         ResourceTags tags,
                         Network network, ClusterAccess access, KafkaCluster kafka, String bootstrapServers,
                         Optional<IStream> kinesisStream, Optional<CatalogKafka> catalogKafka, IKey key,
                         Path imageDirectory, List<IManagedPolicy> taskPolicies) {
        super(scope, id);
        cluster = Cluster.Builder.create(this, "Cluster")
                .clusterName(names.component("ecs"))
                .vpc(network.vpc())
                .containerInsightsV2(ContainerInsights.ENABLED)
                .build();

        taskRole = Role.Builder.create(this, "TaskRole")
                .roleName(names.serviceAccount())
                .description("Ingest service of " + names.prefix() + ": reads its MSK topics as its consumer groups")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .managedPolicies(taskPolicies)
                .build();
        Role executionRole = Role.Builder.create(this, "ExecutionRole")
                .roleName(names.component("execution"))
                .description("ECS agent for " + names.prefix() + ": pulls the image, reads the secrets, writes logs")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .build();

        logGroup = LogGroup.Builder.create(this, "Logs")
                .logGroupName(names.logGroup("ingest"))
                .removalPolicy(RemovalPolicy.RETAIN)
                .retention(RetentionDays.valueOf(Network.retentionName(context.service().logRetentionDays())))
                .build();

        apiToken = software.amazon.awscdk.services.secretsmanager.Secret.Builder.create(this, "ApiToken")
                .secretName(names.apiTokenSecret())
                .description("Bearer token of the ingest service API (" + names.prefix() + ")")
                .encryptionKey(key)
                .generateSecretString(SecretStringGenerator.builder()
                        .excludePunctuation(true).passwordLength(48).build())
                .build();
        ISecret warehouseCredentials = software.amazon.awscdk.services.secretsmanager.Secret.fromSecretCompleteArn(
                this, "WarehouseCredentials", warehouse.credentialsSecretArn());

        taskDefinition = FargateTaskDefinition.Builder.create(this, "Task")
                .family(names.component("ingest"))
                .cpu(context.service().cpu())
                .memoryLimitMiB(context.service().memoryMib())
                .taskRole(taskRole)
                .executionRole(executionRole)
                .runtimePlatform(RuntimePlatform.builder()
                        .cpuArchitecture(CpuArchitecture.X86_64)
                        .operatingSystemFamily(OperatingSystemFamily.LINUX)
                        .build())
                .build();

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_REGION", context.deployment().region());
        environment.put("JAVA_OPTS", RuntimeConfig.JAVA_OPTS);
        // The image sets INLET_API_LISTEN, which would win over the rendered config.
        environment.put("INLET_API_LISTEN", context.service().apiListen());
        environment.put("INLET_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        // catalog.kafka.*: the job catalog of a Stream Load warehouse, or PostgreSQL's coordination of Kinesis jobs;
        // either way the service's own cluster, auth and credentials.
        boolean catalogCluster = catalogKafka.isPresent();
        if (catalogCluster) {
            environment.put(RuntimeConfig.CATALOG_BOOTSTRAP_SERVERS_ENV, bootstrapServers);
        }
        kinesisStream.ifPresent(stream -> {
            environment.put(RuntimeConfig.KINESIS_STREAM_NAME_ENV, stream.getStreamName());
            environment.put(RuntimeConfig.KINESIS_STREAM_ARN_ENV, stream.getStreamArn());
        });
        environment.put("INLET_CONFIG_YAML", RuntimeConfig.configYaml(names.stack(), warehouse,
                context.service(), context.kafka(), context.deployment().region(), catalogKafka));
        environment.put("INLET_JOBS_SQL", RuntimeConfig.jobsSql(names.stack(), context.jobs(), context.kafka(),
                context.deployment().region(), bootstrapServers, kinesisStream.map(stream -> new RuntimeConfig
                        .KinesisJobs(stream.getStreamName(), context.kinesis().orElseThrow().jobs()))));

        Map<String, Secret> secrets = new LinkedHashMap<>();
        secrets.put("INLET_WAREHOUSE_USER", Secret.fromSecretsManager(warehouseCredentials, "username"));
        secrets.put("INLET_WAREHOUSE_PASSWORD", Secret.fromSecretsManager(warehouseCredentials, "password"));
        secrets.put("INLET_API_TOKEN", Secret.fromSecretsManager(apiToken));
        context.kafka().tlsClientSecretArn().ifPresent(arn -> {
            ISecret certificate = software.amazon.awscdk.services.secretsmanager.Secret.fromSecretCompleteArn(
                    this, "TlsClientCertificate", arn);
            secrets.put("INLET_KAFKA_TLS_CERTIFICATE", Secret.fromSecretsManager(certificate, "certificate"));
            secrets.put("INLET_KAFKA_TLS_KEY", Secret.fromSecretsManager(certificate, "private-key"));
            if (catalogCluster) {
                secrets.put(RuntimeConfig.CATALOG_TLS_CERTIFICATE_ENV,
                        Secret.fromSecretsManager(certificate, "certificate"));
                secrets.put(RuntimeConfig.CATALOG_TLS_KEY_ENV, Secret.fromSecretsManager(certificate, "private-key"));
            }
        });
        kafka.scramSecret().ifPresent(scram -> {
            secrets.put("INLET_KAFKA_SASL_USERNAME", Secret.fromSecretsManager(scram, "username"));
            secrets.put("INLET_KAFKA_SASL_PASSWORD", Secret.fromSecretsManager(scram, "password"));
            if (catalogCluster) {
                secrets.put(RuntimeConfig.CATALOG_SASL_USERNAME_ENV, Secret.fromSecretsManager(scram, "username"));
                secrets.put(RuntimeConfig.CATALOG_SASL_PASSWORD_ENV, Secret.fromSecretsManager(scram, "password"));
            }
        });

        ContainerDefinition container = taskDefinition.addContainer(CONTAINER_NAME, ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromAsset(imageDirectory.toString(), AssetImageProps.builder()
                        .platform(Platform.LINUX_AMD64)
                        .exclude(new RuntimeImage(imageDirectory).exclude())
                        .build()))
                .entryPoint(List.of("sh", "-c"))
                .command(List.of(RuntimeConfig.startScript()))
                .environment(environment)
                .secrets(secrets)
                .portMappings(List.of(PortMapping.builder().containerPort(context.service().apiPort()).build()))
                // Liveness only: /readyz (jobs restored) is the load balancer's check, so that a replica restoring
                // its jobs is kept out of rotation rather than restarted.
                .healthCheck(HealthCheck.builder()
                        .command(List.of("CMD-SHELL", "curl -fsS -o /dev/null http://127.0.0.1:"
                                + context.service().apiPort() + LIVENESS_PATH + " || exit 1"))
                        .interval(Duration.seconds(30))
                        .timeout(Duration.seconds(5))
                        .retries(3)
                        .startPeriod(Duration.seconds(60))
                        .build())
                .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder()
                        .logGroup(logGroup).streamPrefix(CONTAINER_NAME).build()))
                // SIGTERM drains the jobs (the batch in flight commits or aborts); Fargate allows at most 120 s.
                .stopTimeout(STOP_TIMEOUT)
                .essential(true)
                .build());

        service = FargateService.Builder.create(this, "Service")
                .serviceName(names.component("ingest"))
                .cluster(cluster)
                .taskDefinition(taskDefinition)
                .desiredCount(context.service().desiredCount())
                .minHealthyPercent(100)
                .maxHealthyPercent(200)
                .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
                .securityGroups(List.of(access.serviceGroup()))
                .vpcSubnets(network.privateSubnets())
                .assignPublicIp(false)
                .enableEcsManagedTags(true)
                .healthCheckGracePeriod(READINESS_GRACE)
                .propagateTags(PropagatedTagSource.SERVICE)
                .build();
        service.getNode().addDependency(kafka.readyForClients());

        tags.apply(this, "ecs", "compute", names.component("ingest"));
        tags.apply(taskRole, "iam-role", "security", names.serviceAccount());
        tags.apply(executionRole, "iam-role", "security", names.component("execution"));
        tags.apply(apiToken, "secret", "security", names.component("api-token"));
        tags.apply(logGroup, "logs", "observability", names.component("ingest-logs"));
    }

    public Cluster cluster() {
        return cluster;
    }

    public Role taskRole() {
        return taskRole;
    }

    public FargateService service() {
        return service;
    }

    public FargateTaskDefinition taskDefinition() {
        return taskDefinition;
    }

    public LogGroup logGroup() {
        return logGroup;
    }

    public ISecret apiToken() {
        return apiToken;
    }
}
