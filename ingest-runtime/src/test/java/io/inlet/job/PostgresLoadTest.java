package io.inlet.job;

import io.inlet.sink.PositionStore;
import io.inlet.sink.Warehouse;
import io.inlet.sink.jdbc.PostgresWarehouse;
import io.inlet.testkit.Await;
import io.inlet.testkit.EmbeddedPostgres;
import io.inlet.testkit.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresLoadTest extends LoadEndToEndTest {

    static EmbeddedPostgres pg;

    @BeforeAll
    static void startPostgres() {
        pg = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() {
        pg.close();
    }

    @Override
    Warehouse openWarehouse() throws Exception {
        return new PostgresWarehouse(pg.jdbcUrl(), EmbeddedPostgres.USER, "");
    }

    @Override
    Connection connect() throws Exception {
        return pg.connect();
    }

    @Override
    String defaultDb() {
        return "public";
    }

    /**
     * A runtime that claims a partition outside the group (a zombie's view, or a replica whose member the group
     * dropped) fences the batch in flight of the member that holds it: that batch commits nothing. The member then
     * asks the group again, which gives the partition back to it; it loads on from the committed position.
     */
    @Test
    void aBatchOfAPartitionClaimedElsewhereCommitsNothingAndTheGroupDecidesWhoLoadsOn() throws Exception {
        broker.createTopic(topic, 1);
        Topics.produce(broker, topic, 1, usersMessages(100));
        sql("CREATE TABLE users_fenced (userid VARCHAR(50), regionid VARCHAR(50), gender VARCHAR(50), dt TIMESTAMP)");
        jobs.execute(seed001Statement("fenced_job", "users_fenced"));
        awaitSettled("fenced_job", 100);
        RoutineLoadJob job = job("fenced_job");

        try (Warehouse other = openWarehouse();
             PositionStore otherStore = other.positionStore(job.id(), null, null)) {
            otherStore.claim(List.of("0"));
            Topics.produce(broker, topic, 1, usersMessages(200).subList(100, 200));
            Await.until(Duration.ofSeconds(30), () -> job.otherMsg().contains("moved to another replica"),
                    () -> "the member's batch to be fenced");
            awaitSettled("fenced_job", 200);
            assertThat(count("users_fenced")).isEqualTo(200);
            assertThat(((Number) query("SELECT count(DISTINCT userid) FROM users_fenced").get(0).get(0)).longValue()).isEqualTo(200);
            assertThat(otherStore.positions(List.of("0")).get("0").position()).isEqualTo("200");
        }
    }
}
