package io.inlet.infra.context;

import java.util.Optional;

/**
 * Who and where: seed 004's {@code hosted:id}, account, region and tag domain, the release name, the three parts of
 * the {@code {domain}:part-of} tag ({@code {organization}.{name}.{alias}}), and seed 004's Druid release when the
 * cluster is Druid's.
 *
 * @param account empty for an environment-agnostic stack (no {@code hosted:account}, no {@code CDK_DEFAULT_ACCOUNT})
 */
public record DeploymentSettings(String id, Optional<String> account, String region, String release, String domain,
                                 String organization, String name, String alias, Optional<String> druidRelease) {

    public String partOf() {
        return organization + "." + name + "." + alias;
    }
}
