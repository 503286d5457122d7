package io.inlet.infra.monitoring;

import io.inlet.infra.context.AlarmSettings;
import io.inlet.infra.context.KafkaSettings;
import io.inlet.infra.context.LagThresholds;
import io.inlet.infra.context.ServiceSettings;
import io.inlet.infra.naming.Names;
import io.inlet.infra.naming.ResourceTags;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.applicationautoscaling.AdjustmentType;
import software.amazon.awscdk.services.applicationautoscaling.BasicStepScalingPolicyProps;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.applicationautoscaling.ScalingInterval;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Consumer lag of the service's groups, from MSK's own metrics (the runtime commits offsets to the groups): an alarm
 * per group and topic on {@code MaxOffsetLag} and {@code EstimatedMaxTimeLag} to an SNS topic, and step scaling of the
 * service on the groups' total {@code SumOffsetLag}.
 */
public final class LagMonitoring extends Construct {
    static final String NAMESPACE = "AWS/Kafka";

    private final ITopic topic;
    private final List<Alarm> alarms = new ArrayList<>();

    public LagMonitoring(Construct scope, String id, String clusterName, KafkaSettings kafka, LagThresholds lag,
                         AlarmSettings alarmSettings, ServiceSettings serviceSettings, FargateService service,
                         IKey key, Names names, ResourceTags tags) {
        super(scope, id);
        if (alarmSettings.topicArn().isPresent()) {
            topic = Topic.fromTopicArn(this, "AlarmTopic", alarmSettings.topicArn().get());
        } else {
            Topic created = Topic.Builder.create(this, "AlarmTopic")
                    .topicName(names.component("alarms"))
                    .displayName("Inlet " + names.prefix() + " alarms")
                    .masterKey(key)
                    .enforceSsl(true)
                    .build();
            created.addSubscription(new EmailSubscription(alarmSettings.email().orElseThrow()));
            tags.apply(created, "sns", "observability", names.component("alarms"));
            topic = created;
        }
        SnsAction notify = new SnsAction(topic);

        Map<String, IMetric> sumOffsetLag = new LinkedHashMap<>();
        for (KafkaSettings.ConsumerGroup group : kafka.consumerGroups()) {
            for (String kafkaTopic : group.topics()) {
                String suffix = group.name() + "-" + kafkaTopic;
                Alarm offsetLag = Alarm.Builder.create(this, "MaxOffsetLag-" + suffix)
                        .alarmName(names.component("lag-offset-" + suffix))
                        .alarmDescription("Group " + group.name() + " is more than " + lag.maxOffsetLag()
                                + " messages behind on a partition of " + kafkaTopic)
                        .metric(metric("MaxOffsetLag", clusterName, group.name(), kafkaTopic, "Maximum"))
                        .threshold(lag.maxOffsetLag())
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                        .evaluationPeriods(5)
                        .datapointsToAlarm(5)
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .build();
                Alarm timeLag = Alarm.Builder.create(this, "EstimatedMaxTimeLag-" + suffix)
                        .alarmName(names.component("lag-time-" + suffix))
                        .alarmDescription("Group " + group.name() + " is more than " + lag.maxTimeLagSeconds()
                                + " s behind on " + kafkaTopic)
                        .metric(metric("EstimatedMaxTimeLag", clusterName, group.name(), kafkaTopic, "Maximum"))
                        .threshold(lag.maxTimeLagSeconds())
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                        .evaluationPeriods(5)
                        .datapointsToAlarm(5)
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .build();
                for (Alarm alarm : List.of(offsetLag, timeLag)) {
                    alarm.addAlarmAction(notify);
                    alarm.addOkAction(notify);
                    alarms.add(alarm);
                }
                sumOffsetLag.put("m" + sumOffsetLag.size(),
                        metric("SumOffsetLag", clusterName, group.name(), kafkaTopic, "Maximum"));
            }
        }

        // FILL: no data point (no consumption yet) counts as no lag, so scale-in still happens.
        String total = String.join(" + ", sumOffsetLag.keySet().stream().map(m -> "FILL(" + m + ", 0)").toList());
        MathExpression totalLag = MathExpression.Builder.create()
                .expression(total)
                .usingMetrics(sumOffsetLag)
                .label("SumOffsetLag of the service's groups")
                .period(Duration.minutes(1))
                .build();
        ScalableTaskCount scaling = service.autoScaleTaskCount(EnableScalingProps.builder()
                .minCapacity(serviceSettings.minCount())
                .maxCapacity(serviceSettings.maxCount())
                .build());
        scaling.scaleOnMetric("ScaleOnLag", BasicStepScalingPolicyProps.builder()
                .metric(totalLag)
                .adjustmentType(AdjustmentType.CHANGE_IN_CAPACITY)
                .scalingSteps(List.of(
                        ScalingInterval.builder().upper(lag.scaleInOffsetLag()).change(-1).build(),
                        ScalingInterval.builder().lower(lag.scaleOutOffsetLag()).change(1).build(),
                        ScalingInterval.builder().lower(lag.scaleOutOffsetLag() * 10).change(2).build()))
                .evaluationPeriods(3)
                .datapointsToAlarm(3)
                .cooldown(Duration.minutes(5))
                .build());
    }

    private static Metric metric(String name, String clusterName, String group, String topic, String statistic) {
        return Metric.Builder.create()
                .namespace(NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of("Cluster Name", clusterName, "Consumer Group", group, "Topic", topic))
                .statistic(statistic)
                .period(Duration.minutes(1))
                .build();
    }

    public ITopic topic() {
        return topic;
    }

    public List<Alarm> alarms() {
        return alarms;
    }
}
