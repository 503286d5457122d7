package io.inlet.infra.druid;

import io.inlet.infra.access.PolicyTemplates;
import io.inlet.infra.context.DeploymentSettings;
import io.inlet.infra.context.DruidSettings;
import io.inlet.infra.naming.Names;
import io.inlet.infra.naming.ResourceTags;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.WebIdentityPrincipal;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seed 004's Druid on EKS as a consumer of the cluster: the policy {@code {id}-{release}-druid-cluster-access} rendered
 * from {@code policy/msk-cluster-access.mustache} on the seed's ARNs, and, when the EKS cluster's OIDC provider is
 * given, the role {@code {id}-{release}-druid-msk-sa} that the Kubernetes service account of that name in namespace
 * {@code api} assumes (IRSA).
 */
public final class DruidConsumer extends Construct {
    public static final String NAMESPACE = "api";

    private final ManagedPolicy policy;
    private final Role role;
    private final String serviceAccount;

    public DruidConsumer(Construct scope, String id, DruidSettings druid, DeploymentSettings deployment, Names names,
                         ResourceTags tags) {
        super(scope, id);
        String cluster = names.msk();
        String arn = "arn:" + Stack.of(this).getPartition() + ":kafka:" + deployment.region() + ":"
                + deployment.account().orElse(Aws.ACCOUNT_ID) + ":";
        policy = ManagedPolicy.Builder.create(this, "ClusterAccessPolicy")
                .managedPolicyName(names.druid("cluster-access"))
                .description("Druid's access to " + cluster + " (seed 004): connect, manage and use its topics "
                        + "and groups")
                .document(PolicyTemplates.document(PolicyTemplates.mskClusterAdministrationJson(
                        List.of(arn + "cluster/" + cluster + "/*"),
                        List.of(arn + "topic/" + cluster + "/*"),
                        List.of(arn + "group/" + cluster + "/*"))))
                .build();

        serviceAccount = names.druid("msk-sa");
        if (druid.oidcProviderArn().isPresent()) {
            String provider = druid.oidcProviderArn().get();
            String issuer = provider.substring(provider.indexOf(":oidc-provider/") + ":oidc-provider/".length());
            role = Role.Builder.create(this, "ServiceAccountRole")
                    .roleName(serviceAccount)
                    .description("Druid's Kubernetes service account " + NAMESPACE + "/" + serviceAccount + " on "
                            + cluster)
                    .assumedBy(new WebIdentityPrincipal(provider, Map.of("StringEquals", Map.of(
                            issuer + ":sub", "system:serviceaccount:" + NAMESPACE + ":" + serviceAccount,
                            issuer + ":aud", "sts.amazonaws.com"))))
                    .managedPolicies(List.of(policy))
                    .build();
            tags.apply(role, "iam-role", "security", serviceAccount);
        } else {
            role = null;
            Annotations.of(this).addInfo("No IAM role " + serviceAccount + " for Druid's service account: set "
                    + "hosted:eks:druid:oidc-provider-arn (the EKS cluster's OIDC provider) to add it; until then "
                    + "attach " + names.druid("cluster-access") + " yourself.");
        }
    }

    public ManagedPolicy policy() {
        return policy;
    }

    public Optional<Role> role() {
        return Optional.ofNullable(role);
    }

    public String serviceAccount() {
        return serviceAccount;
    }
}
