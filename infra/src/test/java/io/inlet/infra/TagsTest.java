package io.inlet.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.inlet.infra.TemplateQueries.allResources;
import static io.inlet.infra.TemplateQueries.properties;
import static org.assertj.core.api.Assertions.assertThat;

/** Seed 004's tag set on every resource that takes tags, with the resource's own type and component. */
class TagsTest {
    private static final List<String> KEYS = List.of("data.stxkxs.io:resource-type", "data.stxkxs.io:category",
            "data.stxkxs.io:type", "data.stxkxs.io:component", "data.stxkxs.io:part-of");

    /** Tags as a map whether CloudFormation spells them as a list of Key/Value or as a map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> tags(Map<String, Object> resource) {
        Object tags = properties(resource).get("Tags");
        if (tags instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        Map<String, Object> byKey = new HashMap<>();
        if (tags instanceof List<?> list) {
            for (Object tag : list) {
                Map<String, Object> t = (Map<String, Object>) tag;
                byKey.put((String) t.get("Key"), t.get("Value"));
            }
        }
        return byKey;
    }

    @Test
    void theMskClusterCarriesSeed004sTags() {
        for (Map<String, Object> context : List.of(Deployments.serverless(), Deployments.provisioned())) {
            Template template = Deployments.synth(context).template();
            String type = "serverless".equals(context.get("hosted:inlet:msk:mode"))
                    ? "AWS::MSK::ServerlessCluster" : "AWS::MSK::Cluster";

            template.hasResourceProperties(type, Match.objectLike(Map.of("Tags", Map.of(
                    "data.stxkxs.io:resource-type", "msk",
                    "data.stxkxs.io:category", "compute",
                    "data.stxkxs.io:type", "streaming",
                    "data.stxkxs.io:component", "fff-streaming-inlet-msk",
                    "data.stxkxs.io:part-of", "data.analytics.inlet"))));
        }
    }

    @Test
    void everyResourceThatTakesTagsCarriesTheWholeSet() {
        for (Map<String, Object> context : List.of(Deployments.serverless(), Deployments.provisioned(),
                Deployments.publicAccess(), Deployments.provisionedTls(), Deployments.druidBesideTheService())) {
            Template template = Deployments.synth(context).template();

            allResources(template).forEach((id, resource) -> {
                if (properties(resource).containsKey("Tags")) {
                    assertThat(tags(resource)).as("tags of %s", id).containsKeys(KEYS.toArray(String[]::new))
                            .containsEntry("data.stxkxs.io:part-of", "data.analytics.inlet")
                            .containsEntry("data.stxkxs.io:type", "streaming");
                }
            });
        }
    }

    @Test
    void eachResourceIsTaggedWithItsOwnTypeAndComponent() {
        Template template = Deployments.synth(Deployments.provisioned()).template();

        Map<String, List<String>> expected = Map.of(
                "AWS::EC2::VPC", List.of("vpc", "network", "fff-streaming-inlet-vpc"),
                "AWS::KMS::Key", List.of("kms", "security", "fff-streaming-inlet-key"),
                "AWS::ECS::Service", List.of("ecs", "compute", "fff-streaming-inlet-ingest"),
                "AWS::ECS::Cluster", List.of("ecs", "compute", "fff-streaming-inlet-ingest"),
                "AWS::Kinesis::Stream", List.of("kinesis", "streaming", "fff-streaming-inlet-kinesis"));
        expected.forEach((type, values) -> TemplateQueries.resources(template, type).values().forEach(resource ->
                assertThat(tags(resource)).as(type)
                        .containsEntry("data.stxkxs.io:resource-type", values.get(0))
                        .containsEntry("data.stxkxs.io:category", values.get(1))
                        .containsEntry("data.stxkxs.io:component", values.get(2))));
        template.hasResourceProperties("AWS::SecretsManager::Secret", Match.objectLike(Map.of(
                "Name", TemplateQueries.instanceName("AmazonMSK_fff-streaming-inlet-msk-sa-"),
                "Tags", Match.arrayWith(List.of(
                        Map.of("Key", "data.stxkxs.io:component", "Value", "AmazonMSK_fff-streaming-inlet-msk-sa"),
                        Map.of("Key", "data.stxkxs.io:resource-type", "Value", "secret"))))));
        template.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
                "RoleName", "fff-streaming-inlet-msk-sa",
                "Tags", Match.arrayWith(List.of(
                        Map.of("Key", "data.stxkxs.io:component", "Value", "fff-streaming-inlet-msk-sa"))))));
    }
}
