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
  TASK_NOT_ASSIGNED: { status: 403, zh: '该任务已指派给其他人员办理', en: 'This task is assigned to someone else' },
  DISPATCH_SETTINGS_MISSING: { status: 409, zh: '本辖区尚未配置就近派单参数', en: 'This tenant has no nearest-inspector settings configured' },
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
  RISK_NOT_FOUND: { status: 404, zh: '风险点不存在', en: 'No such risk point' },
  HAZARD_NOT_FOUND: { status: 404, zh: '隐患不存在', en: 'No such hazard' },
  RISK_LINK_UNKNOWN: { status: 400, zh: '关联的风险点、隐患或设备不存在', en: 'The linked risk point, hazard or device does not exist' },
  HAZARD_ACTION_NOT_ALLOWED: { status: 409, zh: '隐患当前状态不能执行此操作', en: 'This action is not possible in the hazard’s current status' },
  HAZARD_DEPARTMENT_REQUIRED: { status: 400, zh: '确认隐患时须指定责任部门', en: 'Confirming a hazard needs a responsible department' },
  RISK_SETTINGS_MISSING: { status: 409, zh: '本辖区尚未配置隐患整改期限', en: 'This tenant has no hazard rectification periods configured' },
  ACCIDENT_IN_FUTURE: { status: 400, zh: '事故发生时间不能晚于当前时间', en: 'An accident cannot occur in the future' },
  PLAN_NOT_FOUND: { status: 404, zh: '应急预案不存在', en: 'No such contingency plan' },
  PATROL_TEAM_NOT_FOUND: { status: 404, zh: '巡检队伍不存在', en: 'No such patrol team' },
  PATROL_PLAN_NOT_FOUND: { status: 404, zh: '巡检计划不存在', en: 'No such patrol plan' },
  PATROL_TASK_NOT_FOUND: { status: 404, zh: '巡检任务不存在', en: 'No such patrol task' },
  PATROL_TARGET_UNKNOWN: { status: 400, zh: '巡检对象不存在（未登记或已注销的设备，或不属于本任务）', en: 'Unknown patrol target (a device not registered or decommissioned, or not part of this task)' },
  PATROL_POINT_OUTSIDE_TENANT: { status: 400, zh: '巡检点位不在本辖区的单元网格内', en: 'The patrol point is outside this tenant’s unit grids' },
  PATROL_TASK_NOT_ASSIGNED: { status: 403, zh: '该巡检任务未分派给您所在的巡检队伍', en: 'This patrol task is not assigned to your team' },
  PATROL_TASK_CLOSED: { status: 409, zh: '该巡检任务已完成，不能再记录结果', en: 'This patrol task is closed; no more results can be recorded' },
  PATROL_RESULT_EXISTS: { status: 409, zh: '该巡检对象已记录了不同的结果', en: 'A different result has already been recorded for this target' },
  PATROL_PLAN_ENDED: { status: 409, zh: '巡检计划已终止，不能再变更状态', en: 'The patrol plan has ended; its status cannot change' },
  PATROL_SETTINGS_MISSING: { status: 409, zh: '本辖区尚未配置巡检参数', en: 'This tenant has no patrol settings configured' },
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
