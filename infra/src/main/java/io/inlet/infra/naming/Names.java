package io.inlet.infra.naming;

import io.inlet.infra.context.DeploymentSettings;

/**
 * Resource names after seed 004: {@code {id}-{release}-inlet-msk} for the cluster, {@code {id}-{release}-inlet-msk-sa}
 * for the identity that reads it (the task role, and the SCRAM user's {@code AmazonMSK_} secret).
 */
public record Names(String id, String release) {
    private static final String APP = "inlet";

    public static Names of(DeploymentSettings deployment) {
        return new Names(deployment.id(), deployment.release());
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
        return component("msk");
    }

    public String serviceAccount() {
        return component("msk-sa");
    }

    public String scramSecret() {
        return "AmazonMSK_" + serviceAccount();
    }

    public String clusterAccessPolicy() {
        return component("cluster-access");
    }

    public String logGroup(String part) {
        return "/" + APP + "/" + id + "-" + release + "/" + part;
    }
}
