package io.inlet.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.inlet.infra.TemplateQueries.allResources;
import static io.inlet.infra.TemplateQueries.properties;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Public access is a second deploy (MSK turns it on only for an existing cluster): the first deploy's named resources
 * must all be updated in place by it, since CloudFormation cannot replace a resource whose fixed name the old one
 * still holds. Both contexts are synthesized and, for each named resource, the properties whose change forces
 * replacement are compared.
 */
class RedeployTest {
    /** For each type with a fixed physical name: its name property first, then what else forces replacement. */
    private static final Map<String, List<String>> REPLACED_WHEN_CHANGED = new LinkedHashMap<>();

    static {
        REPLACED_WHEN_CHANGED.put("AWS::EC2::SecurityGroup", List.of("GroupName", "GroupDescription", "VpcId"));
        REPLACED_WHEN_CHANGED.put("AWS::MSK::Cluster", List.of("ClusterName", "BrokerNodeGroupInfo/ClientSubnets",
                "BrokerNodeGroupInfo/BrokerAZDistribution", "EncryptionInfo/EncryptionAtRest",
                "EncryptionInfo/EncryptionInTransit/InCluster"));
        REPLACED_WHEN_CHANGED.put("AWS::MSK::ServerlessCluster", List.of("ClusterName", "VpcConfigs",
                "ClientAuthentication"));
        REPLACED_WHEN_CHANGED.put("AWS::MSK::Configuration", List.of("Name", "KafkaVersionsList"));
        REPLACED_WHEN_CHANGED.put("AWS::IAM::Role", List.of("RoleName", "Path"));
        REPLACED_WHEN_CHANGED.put("AWS::IAM::ManagedPolicy", List.of("ManagedPolicyName", "Path"));
        REPLACED_WHEN_CHANGED.put("AWS::SecretsManager::Secret", List.of("Name"));
        REPLACED_WHEN_CHANGED.put("AWS::Logs::LogGroup", List.of("LogGroupName"));
        REPLACED_WHEN_CHANGED.put("AWS::ECS::Cluster", List.of("ClusterName"));
        REPLACED_WHEN_CHANGED.put("AWS::ECS::Service", List.of("ServiceName", "Cluster", "LaunchType"));
        REPLACED_WHEN_CHANGED.put("AWS::SNS::Topic", List.of("TopicName"));
        REPLACED_WHEN_CHANGED.put("AWS::KMS::Alias", List.of("AliasName"));
        REPLACED_WHEN_CHANGED.put("AWS::Kinesis::Stream", List.of("Name"));
        REPLACED_WHEN_CHANGED.put("AWS::CloudWatch::Alarm", List.of("AlarmName"));
        REPLACED_WHEN_CHANGED.put("AWS::EC2::VPC", List.of("CidrBlock"));
    }

    @Test
    void turningOnPublicAccessReplacesNoNamedResource() {
        assertNoNamedResourceIsReplaced(Deployments.synth(Deployments.publicSubnets()).template(),
                Deployments.synth(Deployments.publicAccess()).template());
    }

    @Test
    void turningOnPublicAccessInAnImportedVpcReplacesNoNamedResource() {
        Map<String, Object> second = Deployments.importedPublicIam();
        Map<String, Object> first = Deployments.with(Deployments.with(second, "hosted:inlet:msk:public-access", false),
                "hosted:inlet:msk:public-client-cidrs", null);

        assertNoNamedResourceIsReplaced(Deployments.synth(first).template(), Deployments.synth(second).template());
    }

    @Test
    void theServiceKeepsThePrivateBrokersAndItsRulesWhenPublicAccessIsTurnedOn() {
        Template first = Deployments.synth(Deployments.publicSubnets()).template();
        Template second = Deployments.synth(Deployments.publicAccess()).template();

        for (String type : List.of("AWS::ECS::TaskDefinition", "AWS::EC2::SecurityGroupIngress",
                "AWS::EC2::SecurityGroupEgress")) {
            assertThat(TemplateQueries.resources(second, type)).as(type)
                    .isEqualTo(TemplateQueries.resources(first, type));
        }
    }

    private static void assertNoNamedResourceIsReplaced(Template first, Template second) {
        Map<String, Map<String, Object>> before = allResources(first);
        Map<String, Map<String, Object>> after = allResources(second);
        int named = 0;
        for (Map.Entry<String, Map<String, Object>> resource : before.entrySet()) {
            List<String> paths = REPLACED_WHEN_CHANGED.get((String) resource.getValue().get("Type"));
            if (paths == null || !properties(resource.getValue()).containsKey(paths.get(0))) {
                continue;
            }
            named++;
            String id = resource.getKey();
            assertThat(after).as("named resource %s after the second deploy", id).containsKey(id);
            for (String path : paths) {
                assertThat(at(properties(after.get(id)), path)).as("%s of %s", path, id)
                        .isEqualTo(at(properties(resource.getValue()), path));
            }
        }
        assertThat(named).as("named resources compared").isGreaterThan(15);
    }

    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> properties, String path) {
        Object value = properties;
        for (String part : path.split("/")) {
            value = value instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(part) : null;
        }
        return value;
    }
}
