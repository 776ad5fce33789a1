package dev.keel.files;

/**
 * The pipeline's settings in force: {@link FilesProperties} plus the effective switches
 * ({@code VIRUS_SCAN_ENABLED} overrides {@code FEATURE_VIRUS_SCAN} when set) and the public base URL
 * that signed links start with.
 */
record FilesSettings(FilesProperties properties, boolean virusScan, boolean imageOptimization, String baseUrl) {
}
