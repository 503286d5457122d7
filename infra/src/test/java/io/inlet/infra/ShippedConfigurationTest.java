package io.inlet.infra;

import io.inlet.infra.context.ContextDocumentation;
import io.inlet.infra.context.ContextException;
import io.inlet.infra.context.InletContext;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The repository's cdk.json, cdk.context.json and infra/README.md as a user meets them. */
class ShippedConfigurationTest {

    @Test
    void theShippedContextPinsNoAccountAndSynthesizesEnvironmentAgnostic() {
        Map<String, Object> shipped = Deployments.readJson(Deployments.REPOSITORY.resolve("cdk.context.json"));
        App app = Deployments.app(shipped);

        InletStack stack = InletApp.build(app, Deployments.IMAGE, Map.of());
        app.synth();

        assertThat(Annotations.fromStack(stack).findError("*", Match.anyValue())).isEmpty();
        assertThat(Annotations.fromStack(stack).findWarning("*", Match.anyValue())).isEmpty();
        assertThat(shipped).doesNotContainKey("hosted:account");
        assertThat(shipped.keySet()).noneMatch(key -> key.contains("account="));
        assertThat(ContextModelTest.read(shipped).deployment().account()).isEmpty();
        assertThat(Token.isUnresolved(stack.getAccount())).isTrue();
        assertThat(stack.getRegion()).isEqualTo("us-west-2");
    }

    @Test
    void theCliAccountIsTheStacksWhenTheContextGivesNone() {
        Map<String, Object> shipped = Deployments.readJson(Deployments.REPOSITORY.resolve("cdk.context.json"));

        InletStack stack = InletApp.build(Deployments.app(shipped), Deployments.IMAGE,
                Map.of("CDK_DEFAULT_ACCOUNT", "111122223333"));

        assertThat(stack.getAccount()).isEqualTo("111122223333");
    }

    @Test
    void cdkJsonRunsTheInfraAppFromTheRepositoryRoot() throws Exception {
        Map<String, Object> cdkJson = Deployments.readJson(Deployments.REPOSITORY.resolve("cdk.json"));

        assertThat(cdkJson).containsEntry("app", "sh infra/bin/cdk-app");
        assertThat(Files.readString(Deployments.REPOSITORY.resolve("infra/bin/cdk-app")))
                .contains("io.inlet.infra.InletApp");
    }

    @Test
    void theSeed004ExampleRunsTheSameAppWithTheSameFeatureFlags() {
        Map<String, Object> example = Deployments.readJson(
                Deployments.REPOSITORY.resolve("infra/examples/seed-004/cdk.json"));

        assertThat(example).containsEntry("app", "sh ../../bin/cdk-app")
                .containsEntry("context", Deployments.cdkJsonContext());
    }

    @Test
    void aBadContextStopsTheAppBeforeAnyConstructIsBuilt() {
        App app = Deployments.app(Deployments.with(Deployments.serverless(), "hosted:region", null));

        assertThatThrownBy(() -> InletApp.build(app, Deployments.IMAGE))
                .isInstanceOf(ContextException.class)
                .hasMessageContaining("Context key hosted:region is missing: found nothing; allowed: an AWS region "
                        + "name such as us-west-2");
        assertThat(app.getNode().getChildren()).isEmpty();
    }

    @Test
    void theReadmeDocumentsEveryContextKeyAsDeclared() throws Exception {
        String readme = Files.readString(Deployments.REPOSITORY.resolve("infra/README.md"));

        assertThat(readme).contains(ContextDocumentation.markdownTable());
    }
}
