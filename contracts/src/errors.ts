/**
 * Stable error codes. Every error the API returns carries one of these codes with a Chinese and an English
 * message; clients switch on the code, people read the message.
 */
import { z } from 'zod';

export const ERRORS = {
  VALIDATION_FAILED: { status: 400, zh: '请求内容不符合要求', en: 'The request is not valid' },
  UNAUTHENTICATED: { status: 401, zh: '未登录或登录已失效', en: 'Not signed in, or the session has expired' },
  TOKEN_INVALID: { status: 401, zh: '身份令牌无效', en: 'The identity token is not valid' },
  TENANT_CLAIM_MISSING: { status: 401, zh: '身份令牌缺少租户信息', en: 'The identity token names no tenant' },
  FORBIDDEN_ROLE: { status: 403, zh: '当前角色无权执行此操作', en: 'Your role may not do this' },
  PROVINCE_ONLY: { status: 403, zh: '仅省级平台可以执行此操作', en: 'Only the province platform may do this' },
  TENANT_NOT_FOUND: { status: 404, zh: '租户不存在', en: 'No such tenant' },
  NOT_FOUND: { status: 404, zh: '请求的资源不存在', en: 'Not found' },
  SUPERVISION_NOT_FOUND: { status: 404, zh: '督办事项不存在', en: 'No such supervision item' },
  TASK_NOT_OPEN: { status: 409, zh: '该环节已办理或已超时', en: 'This step has already been handled or has timed out' },
  CONFLICT: { status: 409, zh: '数据已被他人修改，请刷新后重试', en: 'Someone else changed this; reload and try again' },
  IDEMPOTENCY_MISMATCH: { status: 422, zh: '相同请求编号对应的内容不一致', en: 'The same request id was used with different content' },
  MANIFEST_INVALID: { status: 400, zh: '租户清单不符合规范', en: 'The tenant manifest is not valid' },
  WECHAT_CODE_INVALID: { status: 400, zh: '微信登录凭证无效', en: 'The WeChat login code is not valid' },
  WECHAT_UNAVAILABLE: { status: 503, zh: '微信服务暂不可用', en: 'The WeChat service is unavailable' },
  PHOTO_INVALID: { status: 400, zh: '照片无效（仅支持 JPEG、PNG、WebP）', en: 'Not a valid photo (JPEG, PNG or WebP only)' },
  PHOTO_TOO_LARGE: { status: 413, zh: '照片过大（不超过 5 MB）', en: 'The photo is too large (5 MB at most)' },
  UNKNOWN_TYPE_CODE: { status: 400, zh: '部件或事项类别代码不存在', en: 'Unknown component or matter type code' },
  COMPONENT_ID_INVALID: { status: 400, zh: '部件标识码无效', en: 'The component id is not valid' },
  LOCATION_OUTSIDE_TENANT: { status: 400, zh: '位置不在本辖区的单元网格内', en: 'The location is outside this tenant’s unit grids' },
  CASE_NOT_FOUND: { status: 404, zh: '案件不存在', en: 'No such case' },
  CASE_ACTION_NOT_ALLOWED: { status: 409, zh: '案件当前环节不能执行此操作', en: 'This action is not possible at the case’s current stage' },
  DEPARTMENT_NOT_ASSIGNED: { status: 403, zh: '该案件未派遣给您的部门', en: 'This case is not assigned to your department' },
  DEPARTMENT_UNKNOWN: { status: 400, zh: '部门不存在', en: 'Unknown department' },
  SOURCE_NOT_ALLOWED: { status: 403, zh: '当前角色不能以此来源上报', en: 'Your role may not report from this source' },
  DEVICE_NOT_FOUND: { status: 404, zh: '设备不存在', en: 'No such device' },
  DEVICE_EXISTS: { status: 409, zh: '设备编号已存在', en: 'A device with this id already exists' },
  DEVICE_DECOMMISSIONED: { status: 409, zh: '设备已注销', en: 'The device has been decommissioned' },
  ALARM_NOT_FOUND: { status: 404, zh: '告警不存在', en: 'No such alarm' },
  ALARM_ACTION_NOT_ALLOWED: { status: 409, zh: '告警当前状态不能执行此操作', en: 'This action is not possible in the alarm’s current status' },
  IMPORT_INVALID: { status: 400, zh: '导入文件格式不正确', en: 'The import file is not valid' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求内容过大', en: 'The request is too large' },
  TENANT_CONTEXT_MISSING: { status: 500, zh: '服务器内部错误', en: 'Internal error' },
  INTERNAL: { status: 500, zh: '服务器内部错误，请稍后重试', en: 'Internal error; please try again later' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;
export const ErrorCode = z.enum(Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]);

/** The body of every error response. */
export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.object({ zh: z.string(), en: z.string() }),
    requestId: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
