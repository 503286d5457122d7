package io.inlet.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.inlet.infra.TemplateQueries.allResources;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * cdk-nag's AwsSolutionsChecks (applied by {@link InletApp#build}) on every kind of deployment: no unsuppressed error
 * or warning, and every suppression names its rule, sits on one resource, and says why.
 */
class NagTest {
    private static final List<Map<String, Object>> DEPLOYMENTS = List.of(Deployments.serverless(),
            Deployments.provisioned(), Deployments.publicSubnets(), Deployments.publicAccess(),
            Deployments.provisionedIam(), Deployments.importedVpc(), Deployments.importedPublicIam(),
            Deployments.provisionedStarRocks(), Deployments.provisionedTls(), Deployments.seed004(),
            Deployments.seed004WithOidcProvider(), Deployments.druidBesideTheService(),
            Deployments.serverlessWithKinesis());

    @Test
    void awsSolutionsFindsNoUnsuppressedErrorOrWarning() {
        for (Map<String, Object> context : DEPLOYMENTS) {
            Annotations annotations = Annotations.fromStack(Deployments.synth(context).stack());

            assertThat(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
            assertThat(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everySuppressionNamesARuleAResourceAndAReason() {
        for (Map<String, Object> context : DEPLOYMENTS) {
            Template template = Deployments.synth(context).template();
            List<String> suppressed = new ArrayList<>();

            allResources(template).forEach((id, resource) -> {
                Map<String, Object> metadata = (Map<String, Object>) resource.getOrDefault("Metadata", Map.of());
                Map<String, Object> nag = (Map<String, Object>) metadata.get("cdk_nag");
                if (nag == null) {
                    return;
                }
                for (Map<String, Object> rule : (List<Map<String, Object>>) nag.get("rules_to_suppress")) {
                    assertThat((String) rule.get("id")).matches("AwsSolutions-[A-Z]+\\d+");
                    assertThat((String) rule.get("reason")).as("reason for %s on %s", rule.get("id"), id)
                            .hasSizeGreaterThan(60);
                    suppressed.add(rule.get("id") + " " + resource.get("Type"));
                }
            });
            assertThat(suppressed).allMatch(s -> List.of(
                    "AwsSolutions-ECS2 AWS::ECS::TaskDefinition",
                    "AwsSolutions-IAM5 AWS::IAM::Policy",
                    "AwsSolutions-SMG4 AWS::SecretsManager::Secret",
                    "AwsSolutions-IAM4 AWS::IAM::Role",
                    "AwsSolutions-S1 AWS::S3::Bucket",
                    "AwsSolutions-IAM5 AWS::IAM::ManagedPolicy").contains(s), "only the accepted findings");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void wildcardAndManagedPolicySuppressionsSayExactlyWhatTheyCover() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        List<Object> appliesTo = new ArrayList<>();
        allResources(template).values().forEach(resource -> {
            Map<String, Object> nag = (Map<String, Object>) ((Map<String, Object>) resource
                    .getOrDefault("Metadata", Map.of())).get("cdk_nag");
            if (nag != null) {
                ((List<Map<String, Object>>) nag.get("rules_to_suppress")).stream()
                        .filter(rule -> List.of("AwsSolutions-IAM4", "AwsSolutions-IAM5").contains(rule.get("id")))
                        .forEach(rule -> appliesTo.addAll((List<Object>) rule.get("applies_to")));
            }
        });
        assertThat(appliesTo).containsExactlyInAnyOrder("Resource::*",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
    }

    @Test
    void theNagReportIsWrittenWithTheCloudAssembly() {
        CloudAssembly assembly = Deployments.synth(Deployments.serverless()).app().synth();

        assertThat(java.nio.file.Path.of(assembly.getDirectory(), "AwsSolutions-fff-streaming-inlet-NagReport.csv"))
                .exists();
    }
}
