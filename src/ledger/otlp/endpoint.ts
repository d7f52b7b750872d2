// Where spans go: `telemetry.otlp_endpoint` in town.yaml, else the standard OpenTelemetry
// environment variables. The environment is passed in; nothing here reads process.env.
export const tracesPath = '/v1/traces';

export interface TelemetryConfig {
  telemetry?: { otlp_endpoint?: string };
}

/**
 * The OTLP/HTTP traces URL, or undefined when telemetry is off. Precedence: town.yaml's
 * `telemetry.otlp_endpoint`, then `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (a full URL, used as is,
 * per the OpenTelemetry spec), then `OTEL_EXPORTER_OTLP_ENDPOINT` (a base URL). A base URL gets
 * `/v1/traces` appended to its path; town.yaml's value is taken as a base URL unless its path
 * already ends in `/v1/traces`. Blank values count as unset.
 */
export function otlpEndpointFrom(
  config: TelemetryConfig,
  env: Record<string, string | undefined>,
): string | undefined {
  const configured = blankToUndefined(config.telemetry?.otlp_endpoint);
  if (configured !== undefined) return endsInTracesPath(configured) ? configured : withTracesPath(configured);
  const specific = blankToUndefined(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (specific !== undefined) return specific;
  const base = blankToUndefined(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  return base === undefined ? undefined : withTracesPath(base);
}

function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function endsInTracesPath(endpoint: string): boolean {
  return URL.canParse(endpoint) && new URL(endpoint).pathname.replace(/\/+$/, '').endsWith(tracesPath);
}

/** Appends `/v1/traces` to the URL's path, keeping any query; an unparsable value is left for the exporter to reject. */
function withTracesPath(base: string): string {
  if (!URL.canParse(base)) return base;
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${tracesPath}`;
  return url.toString();
}
