package dev.keel.runtime;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.json.JsonMapper;

/** {@code keel config check}: validates every setting without starting anything. */
class ConfigCheckCommand implements CliCommand {

	@Override
	public List<String> name() {
		return List.of("config", "check");
	}

	@Override
	public String summary() {
		return "validate the configuration (all problems at once)";
	}

	@Override
	public String help() {
		return """
				[--json]
				  Checks every environment variable of the catalog (and NAME_FILE secrets) against its rule
				  and the rules of APP_ENV, without connecting to anything. Secret values are never printed.
				  Exit codes: 0 valid, 3 invalid.""";
	}

	@Override
	public int run(CliInvocation invocation) {
		ConfigReport report = invocation.config();
		if (invocation.json()) {
			Map<String, Object> body = Map.of("valid", report.valid(), "environment",
					(report.env() != null) ? report.env().id() : "invalid", "problems",
					report.problems().stream().map((p) -> Map.of("variable", p.variable(), "rule", p.rule(), "message",
							p.message(), "hint", p.hint())).collect(Collectors.toList()));
			invocation.out().println(JsonMapper.builder().build().writeValueAsString(body));
		}
		else if (report.valid()) {
			invocation.out().println("Configuration is valid for APP_ENV=" + report.env().id() + " ("
					+ ConfigCatalog.settings().size() + " settings checked).");
		}
		else {
			invocation.err().print(report.describeProblems());
		}
		return report.valid() ? OK : INVALID_CONFIG;
	}

}
