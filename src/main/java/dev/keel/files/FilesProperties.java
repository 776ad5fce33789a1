package dev.keel.files;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * File pipeline settings ({@code MAX_UPLOAD_SIZE_MB}, {@code SIGNED_URL_SECRET},
 * {@code SIGNED_URL_MAX_TTL}, {@code FILES_TENANT_QUOTA_MB}, {@code VIRUS_SCAN_ENABLED},
 * {@code CLAMD_HOST}/{@code PORT}/{@code TIMEOUT}). The feature flags {@code FEATURE_VIRUS_SCAN} and
 * {@code FEATURE_IMAGE_OPTIMIZATION} live under {@code keel.features.*} and are read beside these.
 *
 * @param maxUploadSizeMb largest upload of any type, in MB
 * @param signedUrlSecret HMAC key of signed links; empty in dev = a random per-process key
 * @param signedUrlMaxTtl longest lifetime a signed link may be given
 * @param tenantQuotaMb storage each tenant may use, in MB; 0 = unlimited
 * @param virusScanEnabled {@code VIRUS_SCAN_ENABLED}; null = follow {@code FEATURE_VIRUS_SCAN}
 * @param clamdHost clamd host
 * @param clamdPort clamd TCP port
 * @param clamdTimeout connect and read time limit of one scan
 */
@ConfigurationProperties("keel.files")
public record FilesProperties(@DefaultValue("25") int maxUploadSizeMb, String signedUrlSecret,
		@DefaultValue("7d") Duration signedUrlMaxTtl, @DefaultValue("0") long tenantQuotaMb, Boolean virusScanEnabled,
		@DefaultValue("localhost") String clamdHost, @DefaultValue("3310") int clamdPort,
		@DefaultValue("30000ms") Duration clamdTimeout) {

	long maxUploadBytes() {
		return this.maxUploadSizeMb * 1024L * 1024L;
	}

	long tenantQuotaBytes() {
		return this.tenantQuotaMb * 1024L * 1024L;
	}

}
