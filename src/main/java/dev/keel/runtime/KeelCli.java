package dev.keel.runtime;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * The command line of the Keel jar. {@code serve} (also: no arguments) starts the service; every
 * other command is looked up among the {@link CliCommand}s that modules register.
 */
public final class KeelCli {

	/** Returned for {@code serve}: the service keeps running and the caller must not exit. */
	public static final int KEEP_RUNNING = Integer.MIN_VALUE;

	private KeelCli() {
	}

	public static int run(Class<?> application, String[] args) {
		return run(application, args, System.out, System.err, System::getenv);
	}

	/** Runs a command; {@code lookup} reads settings (tests pass a map instead of the real environment). */
	public static int run(Class<?> application, String[] args, PrintStream out, PrintStream err,
			java.util.function.Function<String, String> lookup) {
		List<String> words = new ArrayList<>(Arrays.asList(args));
		boolean json = words.remove("--json");
		List<CliCommand> commands = commands();
		if (words.isEmpty() || words.get(0).equals("serve") || words.get(0).startsWith("--") && !words.get(0).equals("--help")) {
			if (!words.isEmpty() && words.get(0).equals("serve") && words.contains("--help")) {
				out.println(serveHelp());
				return CliCommand.OK;
			}
			ConfigReport report = ConfigCatalog.validate(withSystemProperties(lookup));
			if (!report.valid()) {
				err.print(report.describeProblems());
				return CliCommand.INVALID_CONFIG;
			}
			try {
				new SpringApplicationBuilder(application).run(args);
			}
			catch (RuntimeException ex) {
				// Spring Boot has already logged the failure analysis.
				return (ex instanceof InvalidConfigurationException) ? CliCommand.INVALID_CONFIG : CliCommand.FAILED;
			}
			return KEEP_RUNNING;
		}
		if (words.get(0).equals("help") || words.get(0).equals("--help")) {
			out.println(overview(commands));
			return CliCommand.OK;
		}
		Optional<CliCommand> match = commands.stream()
			.filter((c) -> words.size() >= c.name().size() && words.subList(0, c.name().size()).equals(c.name()))
			.max(Comparator.comparingInt((c) -> c.name().size()));
		if (match.isEmpty()) {
			err.println("Unknown command: " + String.join(" ", words));
			err.println(overview(commands));
			return CliCommand.USAGE;
		}
		CliCommand command = match.get();
		List<String> rest = new ArrayList<>(words.subList(command.name().size(), words.size()));
		if (rest.contains("--help") || rest.contains("-h")) {
			out.println("Usage: keel " + String.join(" ", command.name()) + " " + command.help());
			return CliCommand.OK;
		}
		ConfigReport report = ConfigCatalog.validate(withSystemProperties(lookup));
		if (!report.valid() && !command.configurations().isEmpty()) {
			err.print(report.describeProblems());
			return CliCommand.INVALID_CONFIG;
		}
		ConfigurableApplicationContext context = null;
		try {
			if (!command.configurations().isEmpty()) {
				context = new SpringApplicationBuilder(command.configurations().toArray(Class<?>[]::new))
					.web(WebApplicationType.NONE)
					.logStartupInfo(false)
					.properties(Map.of("keel.cli", "true", "logging.level.root", "warn", "spring.main.banner-mode", "off"))
					.run();
			}
			return command.run(new CliInvocation(List.copyOf(rest), json, out, err, report, context));
		}
		catch (Exception ex) {
			err.println("keel " + String.join(" ", command.name()) + " failed: " + ex.getMessage());
			return CliCommand.FAILED;
		}
		finally {
			if (context != null) {
				context.close();
			}
		}
	}

	static List<CliCommand> commands() {
		return SpringFactoriesLoader.loadFactories(CliCommand.class, KeelCli.class.getClassLoader());
	}

	private static java.util.function.Function<String, String> withSystemProperties(java.util.function.Function<String, String> lookup) {
		return (name) -> {
			String value = System.getProperty(name);
			return (value != null) ? value : lookup.apply(name);
		};
	}

	private static String serveHelp() {
		return """
				Usage: keel serve
				  Runs the Keel service (the default command). Configuration comes from environment variables;
				  see 'keel config check --help'. Exit codes: 3 invalid configuration, 1 start-up failure.""";
	}

	private static String overview(List<CliCommand> commands) {
		StringBuilder b = new StringBuilder("Usage: keel <command> [--json] [--help]\n\nCommands:\n");
		b.append(String.format("  %-22s %s%n", "serve", "run the service (default)"));
		commands.stream().sorted(Comparator.comparing((c) -> String.join(" ", c.name())))
			.forEach((c) -> b.append(String.format("  %-22s %s%n", String.join(" ", c.name()), c.summary())));
		b.append("\nExit codes: 0 ok, 1 failed, 2 usage error, 3 invalid configuration.");
		return b.toString();
	}

}
