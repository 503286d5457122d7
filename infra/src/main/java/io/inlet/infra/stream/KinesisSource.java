package io.inlet.infra.stream;

import io.inlet.infra.access.PolicyTemplates;
import io.inlet.infra.context.KinesisSettings;
import io.inlet.infra.naming.Names;
import io.inlet.infra.naming.ResourceTags;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.constructs.Construct;

/**
 * The optional Kinesis data stream (seed 002) and the read policy of {@code policy/kinesis-stream-read.mustache}, which
 * the ingest service's task role carries. No DynamoDB table: Inlet keeps a job's shard positions in its job catalog /
 * position store, committed with the rows, not in a KCL lease table (ingest-runtime/README-kinesis.md says why).
 */
public final class KinesisSource extends Construct {
    private final Stream stream;
    private final ManagedPolicy readPolicy;

    public KinesisSource(Construct scope, String id, KinesisSettings settings, Names names, ResourceTags tags) {
        super(scope, id);
        stream = Stream.Builder.create(this, "Stream")
                .streamName(names.component("kinesis"))
                .shardCount(settings.shardCount())
                .retentionPeriod(Duration.hours(settings.retentionHours()))
                .encryption(StreamEncryption.MANAGED)
                // Deleted with the stack: its records expire within hours anyway, and a retained stream would hold
                // the name the next deploy of this stack creates.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        readPolicy = ManagedPolicy.Builder.create(this, "ReadPolicy")
                .managedPolicyName(names.component("kinesis-read"))
                .description("Read the Kinesis stream " + names.component("kinesis"))
                .document(PolicyTemplates.document(PolicyTemplates.kinesisStreamReadJson(stream.getStreamArn())))
                .build();
        tags.apply(this, "kinesis", "streaming", names.component("kinesis"));
    }

    public Stream stream() {
        return stream;
    }

    /** ListShards, GetShardIterator, GetRecords (and Describe*) on this stream alone. */
    public ManagedPolicy readPolicy() {
        return readPolicy;
    }
}
