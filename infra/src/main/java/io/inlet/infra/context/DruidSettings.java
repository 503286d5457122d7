package io.inlet.infra.context;

import java.util.List;
import java.util.Optional;

/**
 * Seed 004's Druid on EKS as a consumer of the cluster: its release (naming {@code {id}-{release}-druid-msk}), the EKS
 * cluster's OIDC provider for the service account's role, where its pods connect from, and the supervisor's topic.
 */
public record DruidSettings(String release, Optional<String> oidcProviderArn, List<String> clientCidrs, String topic) {
}
