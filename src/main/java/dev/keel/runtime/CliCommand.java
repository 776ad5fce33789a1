package dev.keel.runtime;

import java.util.List;

/**
 * A command of {@code java -jar keel.jar <command>}. Modules contribute commands through
 * {@code META-INF/spring.factories}; each says which Spring configurations it needs, so a command
 * never starts the web server or the job workers.
 */
public interface CliCommand {

	/** Exit code: success. */
	int OK = 0;

	/** Exit code: the command ran and found a problem (or failed). */
	int FAILED = 1;

	/** Exit code: the command line itself is wrong. */
	int USAGE = 2;

	/** Exit code: the configuration is invalid. */
	int INVALID_CONFIG = 3;

	/** The words that name the command, e.g. {@code ["config", "check"]}. */
	List<String> name();

	String summary();

	/** Full help, printed for {@code --help}. */
	String help();

	/** Configuration classes of the context the command runs in; empty for none. */
	default List<Class<?>> configurations() {
		return List.of();
	}

	int run(CliInvocation invocation) throws Exception;

}
