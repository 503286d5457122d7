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

/** Alarms on MSK consumer lag for the service's groups, their SNS topic, and step scaling of the service on lag. */
class LagMonitoringTest {

    private static List<Map<String, Object>> dimensions(String group, String topic) {
        return List.of(Map.of("Name", "Cluster Name", "Value", "fff-streaming-inlet-msk"),
                Map.of("Name", "Consumer Group", "Value", group),
                Map.of("Name", "Topic", "Value", topic));
    }

    @Test
    void maxOffsetLagAlarmsWatchEachGroupOnEachOfItsTopics() {
        Template template = Deployments.synth(Deployments.serverless()).template();
        String topic = logicalId(template, "AWS::SNS::Topic");

        for (List<String> pair : List.of(List.of("inlet-users", "users"), List.of("inlet-orders", "orders"))) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "AlarmName", "fff-streaming-inlet-lag-offset-" + pair.get(0) + "-" + pair.get(1),
                    "Namespace", "AWS/Kafka",
                    "MetricName", "MaxOffsetLag",
                    "Dimensions", dimensions(pair.get(0), pair.get(1)),
                    "Statistic", "Maximum",
                    "Threshold", 100000,
                    "ComparisonOperator", "GreaterThanThreshold",
                    "TreatMissingData", "notBreaching",
                    "AlarmActions", List.of(ref(topic)),
                    "OKActions", List.of(ref(topic)))));
        }
    }

    @Test
    void estimatedMaxTimeLagAlarmsWatchEachGroupOnEachOfItsTopics() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmName", "fff-streaming-inlet-lag-time-inlet-users-users",
                "Namespace", "AWS/Kafka",
                "MetricName", "EstimatedMaxTimeLag",
                "Dimensions", dimensions("inlet-users", "users"),
                "Threshold", 300,
                "EvaluationPeriods", 5,
                "DatapointsToAlarm", 5)));
        assertThat(resources(template, "AWS::CloudWatch::Alarm").values().stream()
                .map(a -> properties(a).get("MetricName")).filter(m -> m != null).toList())
                .containsExactlyInAnyOrder("MaxOffsetLag", "MaxOffsetLag", "EstimatedMaxTimeLag",
                        "EstimatedMaxTimeLag");
    }

    @Test
    void alarmsGoToAnEncryptedTopicWithTheEmailSubscribed() {
        Template template = Deployments.synth(Deployments.serverless()).template();
        String topic = logicalId(template, "AWS::SNS::Topic");

        template.hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of(
                "TopicName", "fff-streaming-inlet-alarms",
                "KmsMasterKeyId", getAtt(logicalId(template, "AWS::KMS::Key"), "Arn"))));
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "email", "Endpoint", "data-platform@example.com", "TopicArn", ref(topic)));
    }

    @Test
    void anExistingTopicReceivesTheAlarmsWhenOneIsGiven() {
        Template template = Deployments.synth(Deployments.provisioned()).template();

        template.resourceCountIs("AWS::SNS::Topic", 0);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "MaxOffsetLag",
                "AlarmActions", List.of("arn:aws:sns:us-west-2:000000000000:platform-alarms"))));
    }

    @Test
    void theServiceScalesBetweenMinAndMaxCount() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Match.objectLike(Map.of(
                "MinCapacity", 1, "MaxCapacity", 4, "ScalableDimension", "ecs:service:DesiredCount",
                "ServiceNamespace", "ecs")));
    }

    @Test
    void stepScalingAddsTasksAboveTheScaleOutLagAndRemovesThemBelowTheScaleInLag() {
        Template template = Deployments.synth(Deployments.serverless()).template();

        template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Match.objectLike(Map.of(
                "PolicyType", "StepScaling",
                "StepScalingPolicyConfiguration", Match.objectLike(Map.of(
                        "AdjustmentType", "ChangeInCapacity",
                        "StepAdjustments", List.of(
                                Map.of("MetricIntervalLowerBound", 0, "MetricIntervalUpperBound", 450000,
                                        "ScalingAdjustment", 1),
                                Map.of("MetricIntervalLowerBound", 450000, "ScalingAdjustment", 2)))))));
        template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Match.objectLike(Map.of(
                "PolicyType", "StepScaling",
                "StepScalingPolicyConfiguration", Match.objectLike(Map.of(
                        "StepAdjustments", List.of(Map.of("MetricIntervalUpperBound", 0,
                                "ScalingAdjustment", -1)))))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "ComparisonOperator", "GreaterThanOrEqualToThreshold", "Threshold", 50000)));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "ComparisonOperator", "LessThanOrEqualToThreshold", "Threshold", 1000)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void scalingFollowsTheTotalSumOffsetLagOfTheServiceGroups() {
        Template template = Deployments.synth(Deployments.serverless()).template();
        Map<String, Object> scaleOut = resources(template, "AWS::CloudWatch::Alarm").values().stream()
                .map(TemplateQueries::properties)
                .filter(p -> "GreaterThanOrEqualToThreshold".equals(p.get("ComparisonOperator")))
                .findFirst().orElseThrow();
        List<Map<String, Object>> metrics = (List<Map<String, Object>>) scaleOut.get("Metrics");

        assertThat(metrics).hasSize(3);
        assertThat(metrics.get(0)).containsEntry("Expression", "FILL(m0, 0) + FILL(m1, 0)");
        assertThat(metrics.subList(1, 3)).extracting(m -> ((Map<String, Object>) ((Map<String, Object>)
                m.get("MetricStat")).get("Metric")).get("MetricName")).containsOnly("SumOffsetLag");
        assertThat(metrics.subList(1, 3)).extracting(m -> ((Map<String, Object>) ((Map<String, Object>)
                m.get("MetricStat")).get("Metric")).get("Dimensions"))
                .containsExactly(dimensions("inlet-users", "users"), dimensions("inlet-orders", "orders"));
    }
}
