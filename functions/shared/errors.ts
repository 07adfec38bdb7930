/**
 * The one error taxonomy of Tươi. Expected business failures are returned as results by domain
 * code; these errors cross the edge and are mapped once, to RFC 9457 problem+json for HTTP and to
 * a retry decision (4xx poison, 5xx transient) for CloudEvents.
 */

/** A field-level validation failure, `field` being a JSON pointer into the request. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** Text in both customer languages. */
export interface Bilingual {
  en: string;
  vi: string;
}

/** Base of every error we raise on purpose; `status` is what HTTP and CloudEvent edges answer. */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly kind: string;
  abstract readonly title: Bilingual;
  constructor(
    message: string,
    readonly extensions: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input failed a schema or rule: 400, never retried. */
export class ValidationError extends AppError {
  readonly status = 400;
  readonly kind = 'validation';
  readonly title = { en: 'Your request is not valid', vi: 'Yêu cầu không hợp lệ' };
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message, { errors });
  }
}

/** The body could not be parsed at all (malformed JSON, missing CloudEvent attribute): 400. */
export class MalformedRequestError extends AppError {
  readonly status = 400;
  readonly kind = 'malformed';
  readonly title = { en: 'The request could not be read', vi: 'Không đọc được yêu cầu' };
}

/** Missing or invalid credentials: 401. */
export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly kind = 'unauthorized';
  readonly title = { en: 'Please sign in', vi: 'Vui lòng đăng nhập' };
}

/** Authenticated but not allowed: 403. */
export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly kind = 'forbidden';
  readonly title = { en: 'You are not allowed to do this', vi: 'Bạn không có quyền thực hiện thao tác này' };
}

/** The addressed resource or route does not exist: 404. */
export class NotFoundError extends AppError {
  readonly status = 404;
  readonly kind = 'not-found';
  readonly title = { en: 'Not found', vi: 'Không tìm thấy' };
}

/** The route exists but not for this method: 405. */
export class MethodNotAllowedError extends AppError {
  readonly status = 405;
  readonly kind = 'method-not-allowed';
  readonly title = { en: 'Method not allowed', vi: 'Phương thức không được hỗ trợ' };
}

/** The request conflicts with current state (duplicate id, wrong state): 409. */
export class ConflictError extends AppError {
  readonly status = 409;
  readonly kind = 'conflict';
  readonly title = { en: 'This conflicts with the current state', vi: 'Xung đột với trạng thái hiện tại' };
}

/** A conditional request's precondition (If-Match) does not hold: 412, the client re-reads first. */
export class PreconditionFailedError extends AppError {
  readonly status = 412;
  readonly kind = 'precondition-failed';
  readonly title = {
    en: 'It changed since you last read it',
    vi: 'Dữ liệu đã thay đổi kể từ lần bạn đọc gần nhất',
  };
}

/** The body is larger than the function accepts: 413. */
export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly kind = 'payload-too-large';
  readonly title = { en: 'The request is too large', vi: 'Yêu cầu quá lớn' };
}

/** The request did not arrive in time (stalled headers or body): 408. */
export class RequestTimeoutError extends AppError {
  readonly status = 408;
  readonly kind = 'request-timeout';
  readonly title = { en: 'The request took too long to arrive', vi: 'Yêu cầu đến quá chậm' };
}

/** The request line or headers are larger than the server reads: 431. */
export class HeadersTooLargeError extends AppError {
  readonly status = 431;
  readonly kind = 'headers-too-large';
  readonly title = { en: 'The request headers are too large', vi: 'Phần đầu của yêu cầu quá lớn' };
}

/** The body is not in a media type the route accepts: 415. */
export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly kind = 'unsupported-media-type';
  readonly title = { en: 'Unsupported content type', vi: 'Kiểu nội dung không được hỗ trợ' };
}

/** Too many requests: 429 with Retry-After. */
export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly kind = 'too-many-requests';
  readonly title = { en: 'Too many attempts, please wait', vi: 'Quá nhiều lần thử, vui lòng đợi' };
  /** `retryAfter` in seconds becomes the Retry-After header. */
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message, { retry_after: retryAfter });
  }
}

/** A dependency failed in a way a retry may fix (database down, deadlock, timeout): 503. */
export class TransientError extends AppError {
  readonly status = 503;
  readonly kind = 'transient';
  readonly title = {
    en: 'Temporarily unavailable, please retry',
    vi: 'Tạm thời gián đoạn, vui lòng thử lại',
  };
}

/**
 * The function is at its limit of requests in flight (`MAX_INFLIGHT`): 503 at once, with
 * Retry-After, instead of a queue that answers in seconds.
 */
export class OverloadedError extends AppError {
  readonly status = 503;
  readonly kind = 'overloaded';
  readonly title = {
    en: 'Too busy right now, please retry in a moment',
    vi: 'Hệ thống đang bận, vui lòng thử lại sau giây lát',
  };
  /** `retryAfter` in seconds becomes the Retry-After header. */
  constructor(
    message: string,
    readonly retryAfter = 1,
  ) {
    super(message, { retry_after: retryAfter });
  }
}

/** The gateway's upstream failed or could not be reached: 502. */
export class BadGatewayError extends AppError {
  readonly status = 502;
  readonly kind = 'bad-gateway';
  readonly title = { en: 'The service did not answer', vi: 'Dịch vụ không phản hồi' };
}

/** The gateway's upstream did not answer in time: 504. */
export class GatewayTimeoutError extends AppError {
  readonly status = 504;
  readonly kind = 'gateway-timeout';
  readonly title = { en: 'The service took too long to answer', vi: 'Dịch vụ phản hồi quá lâu' };
}

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

const PROBLEM_BASE = 'https://tuoi.vn/problems/';

/**
 * PostgreSQL SQLSTATE classes that a retry can fix: serialization, deadlock, connection, shutdown,
 * too many connections, and a statement cancelled by `statement_timeout` (57014).
 */
const TRANSIENT_SQLSTATE = /^(40001|40P01|08...|57P0[1-3]|57014|53300)$/;
/** Elasticsearch client failures a retry can fix: a timeout, no node reachable. */
const TRANSIENT_ELASTICSEARCH = /^(TimeoutError|ConnectionError|NoLivingConnectionsError)$/;

/** Whether an unexpected error (not an AppError) is worth retrying. */
export function isTransient(err: unknown): boolean {
  if (err instanceof AppError) return err.status >= 500;
  const code = (err as { code?: unknown } | null)?.code;
  if (
    typeof code === 'string' &&
    (TRANSIENT_SQLSTATE.test(code) || /^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT)$/.test(code))
  )
    return true;
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === 'string' && TRANSIENT_ELASTICSEARCH.test(name);
}

/** Maps any thrown value to a problem document; unknown errors become an opaque 500. */
export function toProblem(err: unknown, lang: 'en' | 'vi', instance?: string): Problem {
  if (err instanceof AppError) {
    return {
      type: PROBLEM_BASE + err.kind,
      title: err.title[lang],
      status: err.status,
      detail: err.message,
      ...(instance ? { instance } : {}),
      ...err.extensions,
    };
  }
  if (isTransient(err)) return toProblem(new TransientError('A dependency is unavailable'), lang, instance);
  return {
    type: PROBLEM_BASE + 'internal',
    title: lang === 'vi' ? 'Đã xảy ra lỗi, chúng tôi đang xử lý' : 'Something went wrong on our side',
    status: 500,
    ...(instance ? { instance } : {}),
  };
}
