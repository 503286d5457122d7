package io.inlet.infra.context;

import java.util.List;
import java.util.Optional;

/** A VPC to create (CIDR, AZs, NAT gateways) or, when {@code imported} is present, one that already exists. */
public record NetworkSettings(String cidr, int maxAzs, int natGateways, Optional<ImportedVpc> imported) {

    /** An existing VPC, given by ids so that synth needs no lookup. */
    public record ImportedVpc(String vpcId, List<String> availabilityZones, List<String> privateSubnetIds,
                              List<String> publicSubnetIds) {
    }

    public int availabilityZoneCount() {
        return imported.map(v -> v.availabilityZones().size()).orElse(maxAzs);
    }
}
