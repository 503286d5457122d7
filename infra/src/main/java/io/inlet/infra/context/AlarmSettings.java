package io.inlet.infra.context;

import java.util.Optional;

/** Where lag alarms go: a new SNS topic with this e-mail subscribed, or an existing topic. Exactly one is present. */
public record AlarmSettings(Optional<String> email, Optional<String> topicArn) {
}
