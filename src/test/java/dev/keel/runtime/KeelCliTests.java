package dev.keel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keel.KeelApplication;

class KeelCliTests {

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private int run(Map<String, String> env, String... args) {
		return KeelCli.run(KeelApplication.class, args, new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8), env::get);
	}

	private String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

	@Test
	void helpListsTheCommandsAndExitCodes() {
		assertThat(run(Map.of(), "--help")).isEqualTo(CliCommand.OK);
		assertThat(out()).contains("serve", "migrate", "config check", "Exit codes");
	}

	@Test
	void everyCommandHasHelp() {
		for (CliCommand command : KeelCli.commands()) {
			this.out.reset();
			String[] args = new String[command.name().size() + 1];
			for (int i = 0; i < command.name().size(); i++) {
				args[i] = command.name().get(i);
			}
			args[args.length - 1] = "--help";
			assertThat(run(Map.of(), args)).isEqualTo(CliCommand.OK);
			assertThat(out()).startsWith("Usage: keel " + String.join(" ", command.name())).contains("Exit codes");
		}
	}

	@Test
	void unknownCommandIsAUsageError() {
		assertThat(run(Map.of(), "frobnicate")).isEqualTo(CliCommand.USAGE);
		assertThat(err()).contains("Unknown command: frobnicate");
	}

	@Test
	void configCheckPassesForDevDefaults() {
		assertThat(run(Map.of(), "config", "check")).isEqualTo(CliCommand.OK);
		assertThat(out()).contains("Configuration is valid for APP_ENV=dev");
	}

	@Test
	void configCheckFailsInProdWithoutSecretsAndNamesEveryProblem() {
		assertThat(run(Map.of("APP_ENV", "prod", "JWT_SECRET", "tiny"), "config", "check")).isEqualTo(CliCommand.INVALID_CONFIG);
		assertThat(err()).contains("JWT_SECRET", "SESSION_SECRET", "DATABASE_URL", "CORS_ORIGINS").doesNotContain("tiny");
	}

	@Test
	void configCheckSpeaksJson() {
		assertThat(run(Map.of("APP_ENV", "staging", "PORT", "-1"), "config", "check", "--json")).isEqualTo(CliCommand.INVALID_CONFIG);
		assertThat(out()).startsWith("{").contains("\"valid\":false").contains("\"variable\":\"PORT\"").contains("\"rule\":\"format\"");
	}

	@Test
	void serveRefusesAnInvalidConfigurationBeforeStartingAnything() {
		assertThat(run(Map.of("APP_ENV", "qa"), "serve")).isEqualTo(CliCommand.INVALID_CONFIG);
		assertThat(err()).contains("APP_ENV must be one of dev, staging, prod");
	}

}
