package io.inlet.infra.context;

/**
 * Who and where: seed 004's {@code hosted:id}, account, region and tag domain, the release name, and the three parts of
 * the {@code {domain}:part-of} tag ({@code {organization}.{name}.{alias}}).
 */
public record DeploymentSettings(String id, String account, String region, String release, String domain,
                                 String organization, String name, String alias) {

    public String partOf() {
        return organization + "." + name + "." + alias;
    }
}
