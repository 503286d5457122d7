package io.inlet.source.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Which replica holds which partitions of a job, as the group coordinator describes the job's consumer group. */
public final class GroupShares {

    /** One member's share: the replica it belongs to (from its client id), its host, its partitions. */
    public record Share(String memberId, String replica, String host, List<Integer> partitions) {}

    private GroupShares() {
    }

    /** The members of the job's group with their partitions; the replica is read from the member's client id. */
    public static List<Share> describe(KafkaSource source) throws SourceException {
        try (Admin admin = Admin.create(source.clientConfig("show", AdminClientConfig.configNames()))) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(source.groupId())).all()
                    .get(15, TimeUnit.SECONDS).get(source.groupId());
            List<Share> out = new ArrayList<>();
            for (MemberDescription m : group.members()) {
                List<Integer> partitions = m.assignment().topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(source.topic())).map(TopicPartition::partition).sorted()
                        .toList();
                out.add(new Share(m.consumerId(), KafkaSource.replicaOfMember(m.clientId()), m.host(), partitions));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("describing consumer group '" + source.groupId() + "' was interrupted");
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw KafkaErrors.describe("failed to describe consumer group '" + source.groupId() + "'",
                    e instanceof ExecutionException ? e.getCause() : e, source.mskIam());
        }
    }
}
