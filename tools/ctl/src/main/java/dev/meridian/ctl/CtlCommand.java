package dev.meridian.ctl;

import dev.meridian.ctl.cli.ActionCommand;
import dev.meridian.ctl.cli.ActionsCommand;
import dev.meridian.ctl.cli.AuditCommand;
import dev.meridian.ctl.cli.CordonCommand;
import dev.meridian.ctl.cli.CostsCommand;
import dev.meridian.ctl.cli.DrainCommand;
import dev.meridian.ctl.cli.DurationConverter;
import dev.meridian.ctl.cli.NodesCommand;
import dev.meridian.ctl.cli.OverrideCommand;
import dev.meridian.ctl.cli.PauseCommand;
import dev.meridian.ctl.cli.PoolsCommand;
import dev.meridian.ctl.cli.ResumeCommand;
import dev.meridian.ctl.cli.ScaleCommand;
import dev.meridian.ctl.cli.UncordonCommand;
import dev.meridian.ctl.cli.WeightsCommand;
import dev.meridian.ctl.http.ApiClient;
import dev.meridian.ctl.http.Service;
import dev.meridian.ctl.output.Format;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code ./meridian ctl}: the root command. Its options (token, service URLs, output, timeout) are inherited by every
 * command, so they go before or after the command's name; it hands each command an {@link ApiClient} per service.
 */
@Command(name = "meridian ctl", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, sortOptions = false,
        version = "meridian ctl 0.1.0", usageHelpAutoWidth = true,
        description = "Operate Meridian: pools and nodes, operator actions on the scaler, routing weights, costs and "
                + "the audit log, over the services' REST APIs.",
        subcommands = {PoolsCommand.class, NodesCommand.class, ScaleCommand.class, PauseCommand.class,
            ResumeCommand.class, OverrideCommand.class, CordonCommand.class, UncordonCommand.class, DrainCommand.class,
            ActionsCommand.class, ActionCommand.class, WeightsCommand.class, CostsCommand.class, AuditCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "2:invalid input (usage, an option's value, HTTP 400/422)",
            "3:denied (no token, HTTP 401/403)",
            "4:failed (HTTP 404/409/5xx, unreachable, timed out, action REJECTED or still PENDING with --wait)"})
public final class CtlCommand {

    @Option(names = "--token-file", paramLabel = "<file>", scope = ScopeType.INHERIT,
            description = "File holding the bearer token (a JWT); wins over MERIDIAN_TOKEN.")
    Path tokenFile;

    @Option(names = {"-o", "--output"}, paramLabel = "table|json", scope = ScopeType.INHERIT,
            description = "table (default): aligned columns; json: the service's answer as it came.")
    Format output;

    @Option(names = "--scaler-url", paramLabel = "<url>", scope = ScopeType.INHERIT,
            description = {"Scaler base URL (env MERIDIAN_SCALER_URL),", "default http://localhost:8083."})
    String scalerUrl;

    @Option(names = "--scheduler-url", paramLabel = "<url>", scope = ScopeType.INHERIT,
            description = {"Scheduler base URL (env MERIDIAN_SCHEDULER_URL),", "default http://localhost:8082."})
    String schedulerUrl;

    @Option(names = "--cost-url", paramLabel = "<url>", scope = ScopeType.INHERIT,
            description = {"Cost service base URL (env MERIDIAN_COST_URL),", "default http://localhost:8084."})
    String costUrl;

    @Option(names = "--audit-url", paramLabel = "<url>", scope = ScopeType.INHERIT,
            description = {"Audit service base URL (env MERIDIAN_AUDIT_URL),", "default http://localhost:8085."})
    String auditUrl;

    @Option(names = "--timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            scope = ScopeType.INHERIT, description = "Per request: connect and answer (default 30s).")
    Duration timeout;

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final CtlEnvironment environment;
    private HttpClient http;

    public CtlCommand(CtlEnvironment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(commandLine(CtlEnvironment.system()).execute(args));
    }

    /** The command line, ready to execute: failures of {@link CtlException} print their message, exit their code. */
    public static CommandLine commandLine(CtlEnvironment environment) {
        CommandLine commandLine = new CommandLine(new CtlCommand(environment));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CtlException failure) {
                cmd.getErr().println(failure.getMessage());
                cmd.getErr().flush();
                return failure.exitCode();
            }
            throw e;
        });
        commandLine.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println(e.getMessage());
            if (e.getMessage().startsWith("Missing required subcommand")) {
                cmd.usage(cmd.getErr());
            } else if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr())) {
                cmd.getErr().println("see: " + cmd.getCommandSpec().qualifiedName() + " --help");
            }
            cmd.getErr().flush();
            return ExitCodes.INVALID;
        });
        return commandLine;
    }

    public CtlEnvironment environment() {
        return environment;
    }

    public Format format() {
        return output == null ? Format.TABLE : output;
    }

    /** The service's API with the caller's token; fails with exit 3 without a token, 2 for an unusable URL. */
    public ApiClient client(Service service) {
        URI base = baseUrl(service);
        String token = token();
        Duration perRequest = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (http == null) {
            http = ApiClient.newHttpClient(perRequest);
        }
        return new ApiClient(http, service, base, token, perRequest);
    }

    /** {@code --token-file} if given, else {@code MERIDIAN_TOKEN}. */
    String token() {
        if (tokenFile != null) {
            String token;
            try {
                token = Files.readString(tokenFile).strip();
            } catch (IOException e) {
                throw new CtlException(ExitCodes.INVALID, "cannot read the token file " + tokenFile + ": "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
            }
            if (token.isEmpty()) {
                throw new CtlException(ExitCodes.INVALID, "the token file " + tokenFile + " is empty");
            }
            return token;
        }
        String token = environment.variable("MERIDIAN_TOKEN");
        if (token == null) {
            throw new CtlException(ExitCodes.DENIED, "no token: pass --token-file <file> or set MERIDIAN_TOKEN "
                    + "(the sandbox writes one per role to .sandbox/keys/<role>.jwt)");
        }
        return token;
    }

    /** The option, else {@code MERIDIAN_<SERVICE>_URL}, else the sandbox's {@code http://localhost:<port>}. */
    URI baseUrl(Service service) {
        String option = switch (service) {
            case SCALER -> scalerUrl;
            case SCHEDULER -> schedulerUrl;
            case COST -> costUrl;
            case AUDIT -> auditUrl;
        };
        String variable = environment.variable(service.variable());
        String url = option != null ? option : variable != null ? variable : service.defaultUrl();
        String source = option != null ? "--" + service.label() + "-url" : variable != null ? service.variable()
                : "default";
        String trimmed = url.strip().replaceAll("/+$", "");
        try {
            URI uri = URI.create(trimmed);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawQuery() == null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new CtlException(ExitCodes.INVALID, source + ": '" + url + "' is not an http(s) URL like "
                + service.defaultUrl());
    }
}
