package io.inlet.infra.naming;

import io.inlet.infra.context.DeploymentSettings;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Fn;

/**
 * Resource names after seed 004: {@code {id}-{release}-inlet-msk} for the cluster, {@code {id}-{release}-inlet-msk-sa}
 * for the identity that reads it (the task role, and the SCRAM user's {@code AmazonMSK_} secret). When the cluster is
 * seed 004's Druid cluster ({@code druidRelease} set), it and Druid's identity are {@code {id}-{druidRelease}-druid-*}.
 *
 * @param druidRelease seed 004's {@code hosted:eks:druid:release}, or null
 */
public record Names(String id, String release, String druidRelease) {
    private static final String APP = "inlet";

    public static Names of(DeploymentSettings deployment) {
        return new Names(deployment.id(), deployment.release(), deployment.druidRelease().orElse(null));
    }

    /**
     * The first group of the stack's CloudFormation id, e.g. {@code 51af3dc0}: the same for every update of the stack,
     * new when it is deleted and created again. Names of what a delete leaves behind for a while (secrets scheduled
     * for deletion, retained log groups) end with it, so that the next stack of the same name does not collide.
     */
    public static String instance() {
        return Fn.select(0, Fn.split("-", Fn.select(2, Fn.split("/", Aws.STACK_ID))));
    }

    /** {@code {id}-{release}-inlet-{part}}. */
    public String component(String part) {
        return prefix() + "-" + part;
    }

    public String prefix() {
        return id + "-" + release + "-" + APP;
    }

    public String stack() {
        return prefix();
    }

    public String msk() {
        return druidRelease == null ? component("msk") : druid("msk");
    }

    /** {@code {id}-{druidRelease}-druid-{part}}, seed 004's names. */
    public String druid(String part) {
        return id + "-" + druidRelease + "-druid-" + part;
    }

    public String serviceAccount() {
        return component("msk-sa");
    }

    /** Fixed at {@code AmazonMSK_} by MSK; ends with {@link #instance()}. */
    public String scramSecret() {
        return "AmazonMSK_" + serviceAccount() + "-" + instance();
    }

    public String apiTokenSecret() {
        return component("api-token") + "-" + instance();
    }

    public String clusterAccessPolicy() {
        return component("cluster-access");
    }

    /** Retained by a delete, so it ends with {@link #instance()}: {@code /inlet/{id}-{release}/{part}-{instance}}. */
    public String logGroup(String part) {
        return "/" + APP + "/" + id + "-" + release + "/" + part + "-" + instance();
    }
}
