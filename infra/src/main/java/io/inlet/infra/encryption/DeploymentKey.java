package io.inlet.infra.encryption;

import io.inlet.infra.naming.Names;
import io.inlet.infra.naming.ResourceTags;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

import java.util.List;

/**
 * The deployment's customer-managed KMS key, rotated yearly: it encrypts the MSK broker volumes and the
 * {@code AmazonMSK_} SCRAM secret (MSK cannot use secrets under the default {@code aws/secretsmanager} key), the
 * generated API token and the alarm topic.
 */
public final class DeploymentKey extends Construct {
    private final Key key;

    public DeploymentKey(Construct scope, String id, Names names, ResourceTags tags) {
        super(scope, id);
        key = Key.Builder.create(this, "Key")
                .alias("alias/" + names.prefix())
                .description("Inlet " + names.prefix() + ": MSK volumes, SCRAM and API-token secrets, alarm topic")
                .enableKeyRotation(true)
                .build();
        // CloudWatch alarms publish to the encrypted SNS topic; the topic needs the alarm service to use the key.
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowCloudWatchAlarmsToPublishToEncryptedTopic")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .build());
        tags.apply(this, "kms", "security", names.component("key"));
    }

    public Key key() {
        return key;
    }
}
