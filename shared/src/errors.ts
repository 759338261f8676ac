/**
 * Stable error codes of the API. Clients branch on `code`; `message` is for people (Simplified Chinese).
 * The wire shape is always `{ error: { code, message, details? } }`.
 */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  TOKEN_INVALID: 'TOKEN_INVALID',
  REFRESH_TOKEN_INVALID: 'REFRESH_TOKEN_INVALID',
  REFRESH_TOKEN_REUSED: 'REFRESH_TOKEN_REUSED',
  FORBIDDEN: 'FORBIDDEN',
  CONSENT_REQUIRED: 'CONSENT_REQUIRED',
  CONSENT_VERSION_OUTDATED: 'CONSENT_VERSION_OUTDATED',
  ID_NUMBER_INVALID: 'ID_NUMBER_INVALID',
  NAME_INVALID: 'NAME_INVALID',
  NOT_FOUND: 'NOT_FOUND',
  MATTER_NOT_FOUND: 'MATTER_NOT_FOUND',
  OUTLET_NOT_FOUND: 'OUTLET_NOT_FOUND',
  WECHAT_CODE_INVALID: 'WECHAT_CODE_INVALID',
  WECHAT_RATE_LIMITED: 'WECHAT_RATE_LIMITED',
  WECHAT_USER_BLOCKED: 'WECHAT_USER_BLOCKED',
  WECHAT_UNAVAILABLE: 'WECHAT_UNAVAILABLE',
  ROLE_NOT_GRANTABLE: 'ROLE_NOT_GRANTABLE',
  RATE_LIMITED: 'RATE_LIMITED',
  SIGNATURE_INVALID: 'SIGNATURE_INVALID',
  BAD_REQUEST: 'BAD_REQUEST',
  INVALID_JSON: 'INVALID_JSON',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  INTERNAL: 'INTERNAL',
  NETWORK: 'NETWORK',
  REAL_NAME_REQUIRED: 'REAL_NAME_REQUIRED',
  IDEMPOTENCY_KEY_REQUIRED: 'IDEMPOTENCY_KEY_REQUIRED',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  DOOR_PICKUP_NOT_SUPPORTED: 'DOOR_PICKUP_NOT_SUPPORTED',
  AREA_NOT_SERVED: 'AREA_NOT_SERVED',
  SLOT_UNAVAILABLE: 'SLOT_UNAVAILABLE',
  BOOKING_NOT_FOUND: 'BOOKING_NOT_FOUND',
  BOOKING_STATE_CONFLICT: 'BOOKING_STATE_CONFLICT',
  REVIEW_INCOMPLETE: 'REVIEW_INCOMPLETE',
  CONTACT_INVALID: 'CONTACT_INVALID',
  PHOTO_MISSING: 'PHOTO_MISSING',
  PHOTO_TOO_LARGE: 'PHOTO_TOO_LARGE',
  PHOTO_TYPE_UNSUPPORTED: 'PHOTO_TYPE_UNSUPPORTED',
  PHOTO_LIMIT_REACHED: 'PHOTO_LIMIT_REACHED',
  IDENTITY_MISMATCH: 'IDENTITY_MISMATCH',
  IDENTITY_CHECK_UNAVAILABLE: 'IDENTITY_CHECK_UNAVAILABLE',
  CASE_NOT_FOUND: 'CASE_NOT_FOUND',
  SUBSCRIPTION_TEMPLATE_UNKNOWN: 'SUBSCRIPTION_TEMPLATE_UNKNOWN',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What a person should read for each code: what happened and what to do next. */
export const errorMessages: Record<ErrorCode, string> = {
  VALIDATION_FAILED: '填写的信息有误，请按提示修改后再提交',
  UNAUTHENTICATED: '请先登录',
  TOKEN_EXPIRED: '登录已过期，请重新登录',
  TOKEN_INVALID: '登录状态无效，请重新登录',
  REFRESH_TOKEN_INVALID: '登录已失效，请重新登录',
  REFRESH_TOKEN_REUSED: '检测到登录凭证被重复使用，为保护账号安全已退出所有设备，请重新登录',
  FORBIDDEN: '您没有权限进行此操作',
  CONSENT_REQUIRED: '请先阅读并同意《隐私保护指引》',
  CONSENT_VERSION_OUTDATED: '《隐私保护指引》已更新，请阅读最新版本后同意',
  ID_NUMBER_INVALID: '身份证号码不正确，请核对后重新输入',
  NAME_INVALID: '姓名格式不正确，请输入身份证上的姓名',
  NOT_FOUND: '没有找到相关记录',
  MATTER_NOT_FOUND: '没有找到该事项，它可能已调整或停办，请重新搜索',
  OUTLET_NOT_FOUND: '没有找到该网点，请返回网点列表重新选择',
  WECHAT_CODE_INVALID: '微信登录凭证无效或已使用，请重新登录',
  WECHAT_RATE_LIMITED: '登录过于频繁，请稍后再试',
  WECHAT_USER_BLOCKED: '该微信账号存在风险，暂时无法登录',
  WECHAT_UNAVAILABLE: '微信服务暂时不可用，请稍后再试',
  ROLE_NOT_GRANTABLE: '该角色不能通过此方式授予',
  RATE_LIMITED: '操作过于频繁，请稍后再试',
  SIGNATURE_INVALID: '签名无效、已过期或重复使用',
  BAD_REQUEST: '请求有误，请刷新后重试',
  INVALID_JSON: '提交的内容格式不正确（应为 JSON）',
  UNSUPPORTED_MEDIA_TYPE: '不支持的内容类型，请以 JSON 提交',
  PAYLOAD_TOO_LARGE: '提交的内容过大',
  ROUTE_NOT_FOUND: '没有这个接口，请升级小程序后重试',
  INTERNAL: '系统繁忙，请稍后再试',
  NETWORK: '网络连接失败，请检查网络后重试',
  REAL_NAME_REQUIRED: '请先完成实名认证，再预约上门收件',
  IDEMPOTENCY_KEY_REQUIRED: '请求缺少幂等键（Idempotency-Key），请升级小程序后重试',
  IDEMPOTENCY_KEY_REUSED: '同一次提交的内容不一致，请刷新后重新提交',
  DOOR_PICKUP_NOT_SUPPORTED: '该事项不支持上门收件，请到网点办理',
  AREA_NOT_SERVED: '您所在的区县暂未开通上门收件服务',
  SLOT_UNAVAILABLE: '该时段已约满或已过期，请选择其他时段',
  BOOKING_NOT_FOUND: '没有找到该预约',
  BOOKING_STATE_CONFLICT: '预约状态已变化，不能进行此操作，请刷新后查看',
  REVIEW_INCOMPLETE: '还有材料未核对，请逐项核对后再提交',
  CONTACT_INVALID: '联系人信息不正确，请按提示修改',
  PHOTO_MISSING: '请选择一张照片再上传',
  PHOTO_TOO_LARGE: '照片不能超过5MB，请压缩后重试',
  PHOTO_TYPE_UNSUPPORTED: '只支持 JPG、PNG、WebP 格式的照片',
  PHOTO_LIMIT_REACHED: '每次上门最多留档12张照片',
  IDENTITY_MISMATCH: '姓名与身份证号码不一致，请核对后重新输入',
  IDENTITY_CHECK_UNAVAILABLE: '实名核验服务暂时不可用，请稍后再试',
  CASE_NOT_FOUND: '没有找到该办件',
  SUBSCRIPTION_TEMPLATE_UNKNOWN: '提醒模板已更新，请刷新页面后重新开启进度提醒',
};

export interface FieldIssue {
  /** Dotted path of the failing field, e.g. `idNumber`. */
  field: string;
  /** A sentence a person can act on. */
  message: string;
}

export interface ApiErrorBody {
  error: { code: ErrorCode | string; message: string; details?: FieldIssue[] };
}
