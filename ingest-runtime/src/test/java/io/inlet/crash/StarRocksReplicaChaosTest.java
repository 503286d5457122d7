package io.inlet.crash;

import io.inlet.streamload.Flavor;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * In README's long chaos run only: {@code mvn verify} runs the replicas' chaos for PostgreSQL and Doris, and
 * StarRocks' protocol under SIGKILL in {@link StreamLoadCrashRecoveryTest} and with two runtimes in
 * {@code StreamLoadFaultsTest}.
 */
@EnabledIfSystemProperty(named = "inlet.chaos.rows", matches = ".+")
class StarRocksReplicaChaosTest extends StreamLoadReplicaChaosTest {
    @Override
    Flavor flavor() {
        return Flavor.STARROCKS;
    }
}
