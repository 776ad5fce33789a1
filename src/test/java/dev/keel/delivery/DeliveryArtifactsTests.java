package dev.keel.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The delivery artifacts (Dockerfile, .dockerignore, docker-compose.yml, .ci/run, the GitHub workflow)
 * keep their essential properties. There is no Docker engine here, so they are checked statically;
 * each check also runs once against a broken variant to prove it can fail.
 */
class DeliveryArtifactsTests {

	private static final Pattern SECRET_NAME = Pattern
		.compile("(?i).*(secret|password|passwd|token|api_?key|private_?key|access_?key|credential).*");

	private static final Pattern CREDENTIALS_IN_URL = Pattern.compile("://[^/\\s:@]+:[^@\\s]+@");

	private static final List<String> PIPELINE = List.of("lint", "test", "build", "migration-dry-run", "package", "image-scan");

	// ---- the real files -------------------------------------------------------------------------------

	@Test
	void dockerfileBuildsSeparatelyAndRunsAsNonRootOnAJre() throws IOException {
		assertThat(dockerfileProblems(read("Dockerfile"))).isEmpty();
	}

	@Test
	void dockerignoreKeepsBuildOutputLocalDataAndGitOutOfTheContext() throws IOException {
		assertThat(dockerignoreProblems(read(".dockerignore"))).isEmpty();
	}

	@Test
	void composeRunsKeelOnPostgresWithHealthchecksAndFileSecrets() throws IOException {
		assertThat(composeProblems(read("docker-compose.yml"))).isEmpty();
	}

	@Test
	void composeSecretsAndRoleScriptExistAndSecretsStayOutOfGit() throws IOException {
		assertThat(read("deploy/compose/secrets/.gitignore").lines().map(String::strip)).contains("*");
		assertThat(Files.isExecutable(ProjectFiles.path("deploy/compose/make-secrets.sh"))).isTrue();
		String roles = read("deploy/compose/initdb/10-keel-roles.sql").toLowerCase();
		assertThat(roles).contains("create role keel_owner").containsPattern("create role keel_app[^;]*nosuperuser[^;]*nobypassrls");
		Map<String, Object> secrets = map(yaml(read("docker-compose.yml")).get("secrets"));
		assertThat(secrets).isNotEmpty();
		secrets.values().forEach((s) -> assertThat(String.valueOf(map(s).get("file"))).startsWith("deploy/compose/secrets/"));
	}

	@Test
	void ciScriptRunsTheReadmeTestCommand() throws IOException {
		assertThat(Files.isExecutable(ProjectFiles.path(".ci/run"))).isTrue();
		assertThat(ciScriptProblems(read(".ci/run"))).isEmpty();
	}

	@Test
	void keelScriptRunsTheJar() throws IOException {
		assertThat(Files.isExecutable(ProjectFiles.path("keel"))).isTrue();
		assertThat(read("keel")).contains("-jar").contains("target/keel.jar").contains("\"$@\"");
	}

	@Test
	void workflowRunsThePipelineWithTimeoutsAndCancelsSupersededRuns() throws IOException {
		assertThat(workflowProblems(read(".github/workflows/ci.yml"))).isEmpty();
	}

	// ---- the checks fail on broken variants ---------------------------------------------------------

	@Test
	void rejectsBrokenDockerfiles() throws IOException {
		String good = read("Dockerfile");
		assertThat(dockerfileProblems(good.replaceAll("(?m)^FROM \\$\\{JDK_IMAGE\\} AS build$", "# no build stage")))
			.anyMatch((p) -> p.contains("FROM"));
		assertThat(dockerfileProblems(good.replaceAll("(?m)^USER .*$", ""))).anyMatch((p) -> p.contains("root"));
		assertThat(dockerfileProblems(good.replaceAll("(?m)^USER .*$", "USER root"))).anyMatch((p) -> p.contains("root"));
		assertThat(dockerfileProblems(good.replace("/up", "/health"))).anyMatch((p) -> p.contains("HEALTHCHECK"));
		assertThat(dockerfileProblems(good.replaceAll("(?m)^EXPOSE .*$", "EXPOSE 9090"))).anyMatch((p) -> p.contains("EXPOSE"));
		assertThat(dockerfileProblems(good + "\nENV JWT_SECRET=abc123\n")).anyMatch((p) -> p.contains("JWT_SECRET"));
		assertThat(dockerfileProblems(good + "\nARG DB_PASSWORD=hunter2\n")).anyMatch((p) -> p.contains("DB_PASSWORD"));
		assertThat(dockerfileProblems(good + "\nENV METRICS_TOKEN value\n")).anyMatch((p) -> p.contains("METRICS_TOKEN"));
		assertThat(dockerfileProblems(good.replace("21-jre-noble", "21-jdk-noble"))).anyMatch((p) -> p.contains("JRE"));
	}

	@Test
	void rejectsDockerignoreThatShipsLocalData() throws IOException {
		String good = read(".dockerignore");
		assertThat(dockerignoreProblems(good.replaceAll("(?m)^\\.keel/?$", ""))).anyMatch((p) -> p.contains(".keel"));
		assertThat(dockerignoreProblems(good.replaceAll("(?m)^target/?$", ""))).anyMatch((p) -> p.contains("target"));
	}

	@Test
	void rejectsBrokenCompose() throws IOException {
		String good = read("docker-compose.yml");
		assertThat(composeProblems(good.replace("POSTGRES_PASSWORD_FILE: /run/secrets/postgres_password", "POSTGRES_PASSWORD: postgres")))
			.anyMatch((p) -> p.contains("POSTGRES_PASSWORD"));
		assertThat(composeProblems(good.replace("DATABASE_URL_FILE: /run/secrets/database_url",
				"DATABASE_URL: postgres://keel_app:pw@postgres:5432/keel")))
			.anyMatch((p) -> p.contains("DATABASE_URL"));
		assertThat(composeProblems(good.replace("condition: service_healthy", "condition: service_started")))
			.anyMatch((p) -> p.contains("service_healthy"));
		assertThat(composeProblems(good.replace("pg_isready", "true ||").replaceFirst("(?m)^    healthcheck:\\n(      .*\\n)+", "")))
			.anyMatch((p) -> p.contains("healthcheck"));
		assertThat(composeProblems(good.replace("    profiles: [\"full\"]\n    image: clamav", "    image: clamav")))
			.anyMatch((p) -> p.contains("clamd"));
		assertThat(composeProblems("services: [")).anyMatch((p) -> p.contains("YAML"));
	}

	@Test
	void rejectsCiScriptThatDoesNotRunVerify() throws IOException {
		String good = read(".ci/run");
		assertThat(ciScriptProblems(good.replace("exec ./mvnw -B verify", "exec ./mvnw -B package"))).isNotEmpty();
		assertThat(ciScriptProblems(good.replace("set -euo pipefail", "set -e"))).isNotEmpty();
	}

	@Test
	void rejectsWorkflowWithoutTimeoutsOrCancellation() throws IOException {
		String good = read(".github/workflows/ci.yml");
		assertThat(workflowProblems(good.replace("cancel-in-progress: true", "cancel-in-progress: false")))
			.anyMatch((p) -> p.contains("cancel-in-progress"));
		assertThat(workflowProblems(good.replaceFirst("(?m)^    timeout-minutes: \\d+\\n", "")))
			.anyMatch((p) -> p.contains("timeout-minutes"));
		assertThat(workflowProblems(good.replace("keel.jar migrate", "keel.jar --help"))).anyMatch((p) -> p.contains("migrate"));
	}

	// ---- checks ----------------------------------------------------------------------------------------

	static List<String> dockerfileProblems(String text) {
		List<String> problems = new ArrayList<>();
		List<String[]> instructions = instructions(text);
		Map<String, String> globalArgs = new LinkedHashMap<>();
		List<List<String[]>> stages = new ArrayList<>();
		for (String[] instruction : instructions) {
			if (instruction[0].equals("FROM")) {
				stages.add(new ArrayList<>());
			}
			if (stages.isEmpty() && instruction[0].equals("ARG")) {
				String[] kv = instruction[1].split("=", 2);
				globalArgs.put(kv[0].strip(), (kv.length > 1) ? kv[1].strip() : "");
			}
			if (!stages.isEmpty()) {
				stages.getLast().add(instruction);
			}
			if (instruction[0].equals("ENV") || instruction[0].equals("ARG")) {
				keyValues(instruction[0], instruction[1]).forEach((name, value) -> {
					if (SECRET_NAME.matcher(name).matches() && !name.endsWith("_FILE") && !value.isBlank()) {
						problems.add(instruction[0] + " " + name + " bakes a secret-looking value into the image");
					}
				});
			}
		}
		if (stages.size() < 2) {
			problems.add("needs at least two FROM stages (build, then runtime), found " + stages.size());
			if (stages.isEmpty()) {
				return problems;
			}
		}
		List<String[]> last = stages.getLast();
		String base = substitute(last.getFirst()[1].split("\\s+")[0], globalArgs);
		if (!base.toLowerCase().contains("jre")) {
			problems.add("the runtime stage should start from a JRE image, not " + base);
		}
		String user = lastArgs(last, "USER");
		String name = (user != null) ? user.split(":")[0].strip() : null;
		if (name == null || name.equals("root") || name.equals("0")) {
			problems.add("the final stage runs as root; add USER with a non-root uid");
		}
		String healthcheck = lastArgs(last, "HEALTHCHECK");
		if (healthcheck == null || healthcheck.strip().equalsIgnoreCase("NONE") || !healthcheck.contains("/up")) {
			problems.add("HEALTHCHECK must probe /up");
		}
		String expose = lastArgs(last, "EXPOSE");
		if (expose == null || !List.of(expose.split("\\s+")).stream().anyMatch((p) -> p.equals("8080") || p.equals("8080/tcp"))) {
			problems.add("EXPOSE 8080 is missing");
		}
		String entrypoint = lastArgs(last, "ENTRYPOINT");
		if (entrypoint == null || !entrypoint.contains("\"-jar\"") || !entrypoint.contains("\"/app/keel.jar\"")) {
			problems.add("ENTRYPOINT must run java -jar /app/keel.jar");
		}
		if (!"[\"serve\"]".equals(String.valueOf(lastArgs(last, "CMD")).replace(" ", ""))) {
			problems.add("CMD must be [\"serve\"] so that `docker run image migrate` works");
		}
		return problems;
	}

	static List<String> dockerignoreProblems(String text) {
		List<String> lines = text.lines().map(String::strip).map((l) -> l.replaceAll("^/|/$", "")).toList();
		List<String> problems = new ArrayList<>();
		for (String required : List.of("target", ".keel", ".git")) {
			if (!lines.contains(required)) {
				problems.add(".dockerignore must exclude " + required);
			}
		}
		return problems;
	}

	static List<String> composeProblems(String text) {
		List<String> problems = new ArrayList<>();
		Map<String, Object> compose;
		try {
			compose = yaml(text);
		}
		catch (RuntimeException ex) {
			return List.of("docker-compose.yml is not valid YAML: " + ex.getMessage());
		}
		Map<String, Object> services = map(compose.get("services"));
		for (String required : List.of("keel", "postgres")) {
			Map<String, Object> service = map(services.get(required));
			if (service.isEmpty()) {
				problems.add("service " + required + " is missing");
			}
			else if (map(service.get("healthcheck")).get("test") == null) {
				problems.add("service " + required + " has no healthcheck");
			}
			else if (service.containsKey("profiles")) {
				problems.add("service " + required + " must start with a plain `docker compose up` (no profiles)");
			}
		}
		Map<String, Object> keel = map(services.get("keel"));
		if (!"service_healthy".equals(map(map(keel.get("depends_on")).get("postgres")).get("condition"))) {
			problems.add("keel must depend on postgres with condition service_healthy");
		}
		Map<String, String> keelEnv = environment(keel.get("environment"));
		for (String fileVariable : List.of("DATABASE_URL_FILE", "DATABASE_MIGRATION_URL_FILE")) {
			if (!keelEnv.containsKey(fileVariable)) {
				problems.add("keel must read " + fileVariable.replace("_FILE", "") + " from a secret file (" + fileVariable + ")");
			}
		}
		if (!"staging".equals(keelEnv.get("APP_ENV"))) {
			problems.add("keel must run with APP_ENV=staging");
		}
		services.forEach((serviceName, definition) -> {
			Map<String, Object> service = map(definition);
			if (!serviceName.equals("keel") && !serviceName.equals("postgres") && !service.containsKey("profiles")) {
				problems.add("service " + serviceName + " must sit behind a profile so the default up is Keel + PostgreSQL");
			}
			environment(service.get("environment")).forEach((name, value) -> {
				boolean literal = value != null && !value.isBlank() && !value.startsWith("${");
				if (literal && SECRET_NAME.matcher(name).matches() && !name.endsWith("_FILE")) {
					problems.add(serviceName + ": " + name + " has a literal secret value; use " + name + "_FILE and a compose secret");
				}
				if (literal && CREDENTIALS_IN_URL.matcher(value).find()) {
					problems.add(serviceName + ": " + name + " carries credentials in a URL; use " + name + "_FILE");
				}
			});
		});
		return problems;
	}

	static List<String> ciScriptProblems(String text) {
		List<String> problems = new ArrayList<>();
		if (!text.startsWith("#!/usr/bin/env bash") && !text.startsWith("#!/bin/bash")) {
			problems.add(".ci/run must be a bash script");
		}
		if (!text.contains("set -euo pipefail")) {
			problems.add(".ci/run must `set -euo pipefail`");
		}
		if (!Pattern.compile("(?m)^\\s*exec \\./mvnw -B verify\\b").matcher(text).find()) {
			problems.add(".ci/run must end by running the README's test command: exec ./mvnw -B verify");
		}
		if (!text.contains("/usr/lib/jvm")) {
			problems.add(".ci/run must pick a JDK >= 21 from /usr/lib/jvm");
		}
		return problems;
	}

	static List<String> workflowProblems(String text) {
		List<String> problems = new ArrayList<>();
		Map<String, Object> workflow = yaml(text);
		// YAML 1.1 reads the bare key `on` as the boolean true.
		if (workflow.get("on") == null && workflow.get("true") == null) {
			problems.add("the workflow has no triggers (on:)");
		}
		Map<String, Object> concurrency = map(workflow.get("concurrency"));
		if (String.valueOf(concurrency.get("group")).isBlank() || concurrency.get("group") == null) {
			problems.add("concurrency needs a group");
		}
		if (!Boolean.TRUE.equals(concurrency.get("cancel-in-progress"))) {
			problems.add("concurrency must set cancel-in-progress: true");
		}
		Map<String, Object> jobs = map(workflow.get("jobs"));
		jobs.forEach((name, definition) -> {
			Object timeout = map(definition).get("timeout-minutes");
			if (!(timeout instanceof Integer minutes) || minutes <= 0 || minutes > 60) {
				problems.add("job " + name + " needs timeout-minutes between 1 and 60");
			}
		});
		for (int i = 0; i < PIPELINE.size(); i++) {
			Map<String, Object> job = map(jobs.get(PIPELINE.get(i)));
			if (job.isEmpty()) {
				problems.add("job " + PIPELINE.get(i) + " is missing");
			}
			else if (i > 0 && !String.valueOf(job.get("needs")).contains(PIPELINE.get(i - 1))) {
				problems.add("job " + PIPELINE.get(i) + " must need " + PIPELINE.get(i - 1));
			}
		}
		Map<String, Object> dryRun = map(jobs.get("migration-dry-run"));
		if (!String.valueOf(map(map(dryRun.get("services")).get("postgres")).get("image")).startsWith("postgres:17")) {
			problems.add("migration-dry-run needs a postgres:17 service container");
		}
		if (!String.valueOf(dryRun.get("steps")).contains("keel.jar migrate")) {
			problems.add("migration-dry-run must run java -jar target/keel.jar migrate");
		}
		if (!text.contains("actions/setup-java") || !text.contains("distribution: temurin")) {
			problems.add("the workflow must set up Temurin with actions/setup-java");
		}
		return problems;
	}

	// ---- parsing helpers -------------------------------------------------------------------------------

	/** Dockerfile instructions as {KEYWORD, arguments}, comments dropped and continuations joined. */
	static List<String[]> instructions(String text) {
		List<String[]> instructions = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		for (String raw : text.split("\\R")) {
			String line = raw.strip();
			if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
				continue;
			}
			boolean continues = line.endsWith("\\");
			current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
			if (!continues) {
				String joined = current.toString().strip();
				current.setLength(0);
				if (!joined.isEmpty()) {
					String[] parts = joined.split("\\s+", 2);
					instructions.add(new String[] { parts[0].toUpperCase(), (parts.length > 1) ? parts[1] : "" });
				}
			}
		}
		return instructions;
	}

	private static Map<String, String> keyValues(String keyword, String args) {
		Map<String, String> pairs = new LinkedHashMap<>();
		String trimmed = args.strip();
		String firstToken = trimmed.split("\\s+")[0];
		if (keyword.equals("ENV") && !firstToken.contains("=")) {
			String[] legacy = trimmed.split("\\s+", 2);
			pairs.put(legacy[0], (legacy.length > 1) ? legacy[1] : "");
			return pairs;
		}
		Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:=(\"[^\"]*\"|'[^']*'|\\S*))?").matcher(trimmed);
		while (m.find()) {
			pairs.put(m.group(1), (m.group(2) != null) ? m.group(2).replaceAll("^[\"']|[\"']$", "") : "");
		}
		return pairs;
	}

	private static String lastArgs(List<String[]> stage, String keyword) {
		String found = null;
		for (String[] instruction : stage) {
			if (instruction[0].equals(keyword)) {
				found = instruction[1];
			}
		}
		return found;
	}

	private static String substitute(String value, Map<String, String> args) {
		Matcher m = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?").matcher(value);
		StringBuilder out = new StringBuilder();
		while (m.find()) {
			m.appendReplacement(out, Matcher.quoteReplacement(args.getOrDefault(m.group(1), m.group())));
		}
		return m.appendTail(out).toString();
	}

	/** A compose `environment:` as a map, whether written as a map or as a list of NAME=value. */
	private static Map<String, String> environment(Object environment) {
		Map<String, String> env = new LinkedHashMap<>();
		if (environment instanceof Map<?, ?> m) {
			m.forEach((k, v) -> env.put(String.valueOf(k), (v != null) ? String.valueOf(v) : null));
		}
		else if (environment instanceof List<?> l) {
			l.forEach((entry) -> {
				String[] kv = String.valueOf(entry).split("=", 2);
				env.put(kv[0], (kv.length > 1) ? kv[1] : null);
			});
		}
		return env;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> yaml(String text) {
		Object loaded = new Yaml().load(text);
		if (!(loaded instanceof Map)) {
			throw new IllegalArgumentException("not a YAML mapping");
		}
		Map<String, Object> result = new LinkedHashMap<>();
		((Map<Object, Object>) loaded).forEach((k, v) -> result.put(String.valueOf(k), v));
		return result;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		if (!(value instanceof Map)) {
			return Map.of();
		}
		Map<String, Object> result = new LinkedHashMap<>();
		((Map<Object, Object>) value).forEach((k, v) -> result.put(String.valueOf(k), v));
		return result;
	}

	private static String read(String relative) throws IOException {
		Path path = ProjectFiles.path(relative);
		return Files.readString(path);
	}

}
