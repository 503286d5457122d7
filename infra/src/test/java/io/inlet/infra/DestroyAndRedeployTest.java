package io.inlet.infra;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.inlet.infra.TemplateQueries.INSTANCE;
import static io.inlet.infra.TemplateQueries.allResources;
import static io.inlet.infra.TemplateQueries.properties;
import static io.inlet.infra.TemplateQueries.resources;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cdk destroy} then {@code cdk deploy}: what a delete leaves behind (retained resources, secrets scheduled for
 * deletion) must not hold a name the next stack of the same name creates.
 */
class DestroyAndRedeployTest {
    private static final List<String> NAME_PROPERTIES = List.of("Name", "LogGroupName", "BucketName", "GroupName",
            "RoleName", "ManagedPolicyName", "TopicName", "ClusterName", "AliasName");
    private static final List<Map<String, Object>> DEPLOYMENTS = List.of(Deployments.serverless(),
            Deployments.provisioned(), Deployments.provisionedTls(), Deployments.seed004WithOidcProvider());

    @Test
    void whatADeleteRetainsHasNoNameOrOneThatEndsWithTheStackInstance() {
        for (Map<String, Object> context : DEPLOYMENTS) {
            allResources(Deployments.synth(context).template()).forEach((id, resource) -> {
                if (!"Retain".equals(resource.get("DeletionPolicy"))) {
                    return;
                }
                for (String property : NAME_PROPERTIES) {
                    Object name = properties(resource).get(property);
                    if (name != null) {
                        // Either the stack instance, or the generated name of another resource of the stack (the
                        // log group CDK creates for its custom resources' function, /aws/lambda/{function}).
                        assertThat(String.valueOf(name)).as("%s of retained %s", property, id)
                                .satisfiesAnyOf(n -> assertThat(n).contains(String.valueOf(INSTANCE)),
                                        n -> assertThat(n).matches("\\{Fn::Join=\\[, \\[[^{]*, \\{Ref=[A-Za-z0-9]+}]]}"));
                    }
                }
            });
        }
    }

    @Test
    void secretsEndWithTheStackInstanceBecauseADeleteOnlySchedulesTheirDeletion() {
        Map<String, Map<String, Object>> secrets = resources(Deployments.synth(Deployments.provisioned()).template(),
                "AWS::SecretsManager::Secret");

        assertThat(secrets).hasSize(2);
        assertThat(secrets.values()).allSatisfy(secret ->
                assertThat(String.valueOf(properties(secret).get("Name"))).contains(String.valueOf(INSTANCE)));
    }

    @Test
    void logGroupsAndTheAccessLogBucketOutliveTheStackAndSoDoesTheKey() {
        var template = Deployments.synth(Deployments.provisioned()).template();

        for (String type : List.of("AWS::Logs::LogGroup", "AWS::S3::Bucket", "AWS::KMS::Key")) {
            assertThat(resources(template, type).values()).as(type).isNotEmpty()
                    .allSatisfy(r -> assertThat(r).containsEntry("DeletionPolicy", "Retain"));
        }
        assertThat(properties(resources(template, "AWS::S3::Bucket").values().iterator().next()))
                .doesNotContainKey("BucketName");
    }
}
