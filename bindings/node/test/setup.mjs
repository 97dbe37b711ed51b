// Imported first by every test file: quiet logs before the package loads.
process.env.ZM_RTMS_LOG_LEVEL ??= 'error';
