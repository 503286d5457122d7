package io.inlet.infra;

import software.amazon.awscdk.assertions.Template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Small lookups over a synthesized template, for tests that need logical ids or to look at every resource. */
final class TemplateQueries {
    private TemplateQueries() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> resources(Template template, String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        ((Map<String, Object>) template.toJSON().get("Resources")).forEach((id, resource) -> {
            Map<String, Object> r = (Map<String, Object>) resource;
            if (type.equals(r.get("Type"))) {
                found.put(id, r);
            }
        });
        return found;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> allResources(Template template) {
        return (Map<String, Map<String, Object>>) template.toJSON().get("Resources");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }

    /** The logical id of the only resource of a type that matches. */
    static String logicalId(Template template, String type, Predicate<Map<String, Object>> properties) {
        List<String> ids = resources(template, type).entrySet().stream()
                .filter(e -> properties.test(properties(e.getValue())))
                .map(Map.Entry::getKey)
                .toList();
        assertThat(ids).as("resources of type %s that match", type).hasSize(1);
        return ids.get(0);
    }

    static String logicalId(Template template, String type) {
        return logicalId(template, type, p -> true);
    }

    /** How the template spells {@code Names.instance()}: the first group of the stack's id. */
    static final Map<String, Object> INSTANCE = select(0, split("-", select(2, split("/", Map.of("Ref", "AWS::StackId")))));

    private static Map<String, Object> select(int index, Object list) {
        return Map.of("Fn::Select", List.of(index, list));
    }

    private static Map<String, Object> split(String separator, Object value) {
        return Map.of("Fn::Split", List.of(separator, value));
    }

    /** A name that ends with the stack instance, e.g. {@code instanceName("fff-streaming-inlet-api-token-")}. */
    static Map<String, Object> instanceName(String prefix) {
        return Map.of("Fn::Join", List.of("", List.of(prefix, INSTANCE)));
    }

    static Map<String, Object> ref(String logicalId) {
        return Map.of("Ref", logicalId);
    }

    static Map<String, Object> getAtt(String logicalId, String attribute) {
        return Map.of("Fn::GetAtt", List.of(logicalId, attribute));
    }

    /** Logical ids of the private subnets of the VPC the stack creates, in AZ order. */
    static List<String> privateSubnets(Template template) {
        return subnets(template, "Private");
    }

    static List<String> publicSubnets(Template template) {
        return subnets(template, "Public");
    }

    @SuppressWarnings("unchecked")
    private static List<String> subnets(Template template, String type) {
        return resources(template, "AWS::EC2::Subnet").entrySet().stream()
                .filter(e -> ((List<Map<String, Object>>) properties(e.getValue()).get("Tags")).stream()
                        .anyMatch(t -> "aws-cdk:subnet-type".equals(t.get("Key")) && type.equals(t.get("Value"))))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }
}
