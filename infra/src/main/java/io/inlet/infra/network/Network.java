package io.inlet.infra.network;

import io.inlet.infra.context.NetworkSettings;
import io.inlet.infra.naming.Names;
import io.inlet.infra.naming.ResourceTags;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.RemovalPolicy;
import software.constructs.Construct;

import java.util.List;

/**
 * The VPC: created with public subnets (NAT gateways only) and private subnets for the brokers and the service, with
 * flow logs to CloudWatch; or imported from ids given in context, which needs no lookup at synth.
 */
public final class Network extends Construct {
    private final IVpc vpc;

    public Network(Construct scope, String id, NetworkSettings settings, Names names, ResourceTags tags,
                   int logRetentionDays) {
        super(scope, id);
        if (settings.imported().isPresent()) {
            NetworkSettings.ImportedVpc imported = settings.imported().get();
            this.vpc = Vpc.fromVpcAttributes(this, "Vpc", VpcAttributes.builder()
                    .vpcId(imported.vpcId())
                    .availabilityZones(imported.availabilityZones())
                    .privateSubnetIds(imported.privateSubnetIds())
                    .publicSubnetIds(imported.publicSubnetIds().isEmpty() ? null : imported.publicSubnetIds())
                    .build());
            // Nothing here reads the imported subnets' route tables (no endpoints, no routes are added).
            Annotations.of(this).acknowledgeWarning("@aws-cdk/aws-ec2:noSubnetRouteTableId",
                    "Imported subnets are used only to place the brokers and the tasks");
        } else {
            int prefix = Integer.parseInt(settings.cidr().substring(settings.cidr().indexOf('/') + 1));
            Vpc created = Vpc.Builder.create(this, "Vpc")
                    .vpcName(names.component("vpc"))
                    .ipAddresses(IpAddresses.cidr(settings.cidr()))
                    .maxAzs(settings.maxAzs())
                    .natGateways(settings.natGateways())
                    .subnetConfiguration(List.of(
                            SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC)
                                    .cidrMask(prefix + 4).build(),
                            SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                                    .cidrMask(prefix + 2).build()))
                    .build();
            LogGroup flowLogs = LogGroup.Builder.create(this, "FlowLogs")
                    .logGroupName(names.logGroup("vpc-flow-logs"))
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .retention(RetentionDays.valueOf(retentionName(logRetentionDays)))
                    .build();
            created.addFlowLog("FlowLog", FlowLogOptions.builder()
                    .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
                    .trafficType(FlowLogTrafficType.ALL)
                    .build());
            tags.apply(flowLogs, "logs", "observability", names.component("vpc-flow-logs"));
            this.vpc = created;
        }
        tags.apply(this, "vpc", "network", names.component("vpc"));
    }

    public IVpc vpc() {
        return vpc;
    }

    public SubnetSelection privateSubnets() {
        return SubnetSelection.builder().subnets(vpc.getPrivateSubnets()).build();
    }

    public SubnetSelection publicSubnets() {
        return SubnetSelection.builder().subnets(vpc.getPublicSubnets()).build();
    }

    /** CDK's RetentionDays constant for a number of days the context model already validated. */
    public static String retentionName(int days) {
        return switch (days) {
            case 1 -> "ONE_DAY";
            case 3 -> "THREE_DAYS";
            case 5 -> "FIVE_DAYS";
            case 7 -> "ONE_WEEK";
            case 14 -> "TWO_WEEKS";
            case 30 -> "ONE_MONTH";
            case 60 -> "TWO_MONTHS";
            case 90 -> "THREE_MONTHS";
            case 120 -> "FOUR_MONTHS";
            case 150 -> "FIVE_MONTHS";
            case 180 -> "SIX_MONTHS";
            case 365 -> "ONE_YEAR";
            case 400 -> "THIRTEEN_MONTHS";
            case 545 -> "EIGHTEEN_MONTHS";
            case 731 -> "TWO_YEARS";
            case 1096 -> "THREE_YEARS";
            case 1827 -> "FIVE_YEARS";
            case 2192 -> "SIX_YEARS";
            case 2557 -> "SEVEN_YEARS";
            case 2922 -> "EIGHT_YEARS";
            case 3288 -> "NINE_YEARS";
            case 3653 -> "TEN_YEARS";
            default -> throw new IllegalArgumentException("No CloudWatch Logs retention of " + days + " days");
        };
    }
}
