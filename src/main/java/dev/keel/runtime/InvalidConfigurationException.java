package dev.keel.runtime;

/** Start-up stops with this when the catalog finds problems; its message lists all of them, never a value. */
public class InvalidConfigurationException extends IllegalStateException {

	private final ConfigReport report;

	public InvalidConfigurationException(ConfigReport report) {
		super(report.describeProblems());
		this.report = report;
	}

	public ConfigReport report() {
		return this.report;
	}

}
