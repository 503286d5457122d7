package io.inlet.crash;

import io.inlet.streamload.Flavor;

class DorisReplicaChaosTest extends StreamLoadReplicaChaosTest {
    @Override
    Flavor flavor() {
        return Flavor.DORIS;
    }
}
