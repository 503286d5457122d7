package io.inlet.infra.naming;

import io.inlet.infra.context.DeploymentSettings;
import software.amazon.awscdk.Tags;
import software.constructs.IConstruct;

/**
 * Seed 004's tag set: {@code {domain}:resource-type}, {@code :category}, {@code :type}, {@code :component} and
 * {@code :part-of}, applied to a construct and everything under it that can carry tags.
 */
public record ResourceTags(String domain, String partOf) {

    public static ResourceTags of(DeploymentSettings deployment) {
        return new ResourceTags(deployment.domain(), deployment.partOf());
    }

    public String key(String name) {
        return domain + ":" + name;
    }

    /**
     * @param resourceType e.g. {@code msk}, {@code ecs}, {@code vpc}
     * @param category     e.g. {@code compute}, {@code network}, {@code security}, {@code observability}
     * @param component    the resource's full name, e.g. {@code fff-streaming-inlet-msk}
     */
    public void apply(IConstruct scope, String resourceType, String category, String component) {
        Tags.of(scope).add(key("resource-type"), resourceType);
        Tags.of(scope).add(key("category"), category);
        Tags.of(scope).add(key("type"), "streaming");
        Tags.of(scope).add(key("component"), component);
        Tags.of(scope).add(key("part-of"), partOf);
    }
}
