package io.inlet.crash;

import io.inlet.streamload.Flavor;

class StarRocksReplicaChaosTest extends StreamLoadReplicaChaosTest {
    @Override
    Flavor flavor() {
        return Flavor.STARROCKS;
    }
}
