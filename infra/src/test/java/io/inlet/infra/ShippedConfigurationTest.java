package io.inlet.infra;

import io.inlet.infra.context.ContextDocumentation;
import io.inlet.infra.context.ContextException;
import io.inlet.infra.context.InletContext;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The repository's cdk.json, cdk.context.json and infra/README.md as a user meets them. */
class ShippedConfigurationTest {

    @Test
    void theShippedContextIsAWorkingExampleForAccountZerosInUsWest2() {
        Map<String, Object> shipped = Deployments.readJson(Deployments.REPOSITORY.resolve("cdk.context.json"));

        InletContext context = ContextModelTest.read(shipped);

        assertThat(context.deployment().account()).isEqualTo("000000000000");
        assertThat(context.deployment().region()).isEqualTo("us-west-2");
        assertThat(shipped).containsEntry("availability-zones:account=000000000000:region=us-west-2",
                List.of("us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"));
    }

    @Test
    void cdkJsonRunsTheInfraAppFromTheRepositoryRoot() throws Exception {
        Map<String, Object> cdkJson = Deployments.readJson(Deployments.REPOSITORY.resolve("cdk.json"));

        assertThat(cdkJson).containsEntry("app", "sh infra/bin/cdk-app");
        assertThat(Files.readString(Deployments.REPOSITORY.resolve("infra/bin/cdk-app")))
                .contains("io.inlet.infra.InletApp");
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
