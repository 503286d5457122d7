package io.inlet.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static io.inlet.infra.TemplateQueries.getAtt;
import static io.inlet.infra.TemplateQueries.logicalId;
import static io.inlet.infra.TemplateQueries.properties;
import static io.inlet.infra.TemplateQueries.ref;
import static io.inlet.infra.TemplateQueries.resources;
import static org.assertj.core.api.Assertions.assertThat;

/** The customer-managed key, the AmazonMSK_ secret under it, and its association with the cluster. */
class EncryptionTest {

    @Test
    void theDeploymentKeyRotates() {
        for (Map<String, Object> context : List.of(Deployments.serverless(), Deployments.provisioned())) {
            Template template = Deployments.synth(context).template();

            template.resourceCountIs("AWS::KMS::Key", 1);
            template.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true)));
            template.hasResourceProperties("AWS::KMS::Alias", Map.of(
                    "AliasName", "alias/fff-streaming-inlet",
                    "TargetKeyId", getAtt(logicalId(template, "AWS::KMS::Key"), "Arn")));
        }
    }

    @Test
    void theScramSecretIsNamedAmazonMskAndEncryptedWithTheDeploymentKey() {
        Template template = Deployments.synth(Deployments.provisioned()).template();

        template.hasResourceProperties("AWS::SecretsManager::Secret", Match.objectLike(Map.of(
                "Name", TemplateQueries.instanceName("AmazonMSK_fff-streaming-inlet-msk-sa-"),
                "KmsKeyId", getAtt(logicalId(template, "AWS::KMS::Key"), "Arn"),
                "GenerateSecretString", Match.objectLike(Map.of(
                        "SecretStringTemplate", "{\"username\":\"inlet\"}",
                        "GenerateStringKey", "password",
                        "ExcludePunctuation", true)))));
    }

    @Test
    void theScramSecretIsAssociatedWithTheClusterThroughBatchScramSecret() {
        Template template = Deployments.synth(Deployments.provisioned()).template();
        String secret = logicalId(template, "AWS::SecretsManager::Secret",
                p -> TemplateQueries.instanceName("AmazonMSK_fff-streaming-inlet-msk-sa-").equals(p.get("Name")));

        template.resourceCountIs("AWS::MSK::BatchScramSecret", 1);
        template.hasResourceProperties("AWS::MSK::BatchScramSecret", Map.of(
                "ClusterArn", getAtt(logicalId(template, "AWS::MSK::Cluster"), "Arn"),
                "SecretArnList", List.of(ref(secret))));
    }

    @Test
    void serverlessClustersHaveNoScramSecretOrAssociation() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        template.resourceCountIs("AWS::MSK::BatchScramSecret", 0);
        assertThat(resources(template, "AWS::SecretsManager::Secret").values())
                .noneMatch(r -> String.valueOf(properties(r).get("Name")).contains("AmazonMSK_"));
    }

    @Test
    void noSecretOfTheStackUsesTheDefaultKey() {
        for (Map<String, Object> context : List.of(Deployments.serverless(), Deployments.provisioned())) {
            Template template = Deployments.synth(context).template();
            Object key = getAtt(logicalId(template, "AWS::KMS::Key"), "Arn");

            assertThat(resources(template, "AWS::SecretsManager::Secret").values())
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(properties(r).get("KmsKeyId")).isEqualTo(key));
        }
    }
}
