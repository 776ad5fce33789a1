package dev.keel.backup;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code keel.backup.*}.
 *
 * @param enabled whether the backup schedules fire ({@code BACKUP_ENABLED})
 * @param schedule five-field cron (UTC) of the daily full backup ({@code BACKUP_SCHEDULE})
 * @param retentionDays days a completed backup is kept ({@code BACKUP_RETENTION_DAYS})
 * @param pgDumpPath a pg_dump to use for FULL backups; unset = look on {@code PATH} ({@code BACKUP_PG_DUMP_PATH})
 * @param keepMonthly keep the first full backup of each month beyond the retention ({@code BACKUP_KEEP_MONTHLY})
 */
@ConfigurationProperties("keel.backup")
public record BackupProperties(@DefaultValue("true") boolean enabled, @DefaultValue("0 2 * * *") String schedule,
		@DefaultValue("35") int retentionDays, String pgDumpPath, @DefaultValue("false") boolean keepMonthly) {

	/** The schedule as the six-field cron the job scheduler reads. */
	String springCron() {
		String s = this.schedule.trim();
		return (s.split("\\s+").length == 5) ? "0 " + s : s;
	}

}
