package io.inlet.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code @aws-cdk/core:validateAgainstDefaultRules} is on in cdk.json, and no deployment has a finding. */
class TemplateValidationTest {

    @Test
    void cdkJsonTurnsCloudFormationValidationFindingsIntoErrors() {
        assertThat(Deployments.cdkJsonContext()).containsEntry("@aws-cdk/core:validateAgainstDefaultRules", true);
    }

    @Test
    @SuppressWarnings("unchecked")
    void noDeploymentHasAValidationFinding() {
        for (Map<String, Object> context : List.of(Deployments.serverless(), Deployments.provisioned(),
                Deployments.publicAccess(), Deployments.provisionedIam(), Deployments.importedVpc(),
                Deployments.importedPublicIam(), Deployments.provisionedStarRocks(), Deployments.provisionedTls(),
                Deployments.seed004(), Deployments.seed004WithOidcProvider(), Deployments.druidBesideTheService())) {
            Deployments.Synthesized synthesized = Deployments.synth(context);
            Map<String, Object> report = Deployments.readJson(
                    Path.of(synthesized.app().getOutdir(), "validation-report.json"));

            assertThat((List<Object>) report.get("pluginReports")).as("validation report of %s",
                    context.get("hosted:inlet:msk:mode")).isEmpty();
            assertThat(Annotations.fromStack(synthesized.stack()).findWarning("*", Match.anyValue())).isEmpty();
            assertThat(Annotations.fromStack(synthesized.stack()).findError("*", Match.anyValue())).isEmpty();
        }
    }
}
