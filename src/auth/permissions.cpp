#include "auth/permissions.hpp"

#include <algorithm>

namespace chanrong::auth {
namespace {
using K = RoleKind;
const std::vector<RoleKind> kStaff = {K::kGovernment, K::kAdministrator};
const std::vector<RoleKind> kEveryone = {K::kEnterprise, K::kInstitution, K::kGovernment, K::kAdministrator,
                                         K::kAuditor};
}  // namespace

std::string_view RoleKindName(RoleKind kind) { return kRoleKindNames[static_cast<size_t>(kind)]; }

std::optional<RoleKind> ParseRoleKind(std::string_view name) {
    auto it = std::find(kRoleKindNames.begin(), kRoleKindNames.end(), name);
    if (it == kRoleKindNames.end()) return std::nullopt;
    return static_cast<RoleKind>(it - kRoleKindNames.begin());
}

std::string_view DataScopeName(DataScope scope) { return kDataScopeNames[static_cast<size_t>(scope)]; }

std::optional<DataScope> ParseDataScope(std::string_view name) {
    auto it = std::find(kDataScopeNames.begin(), kDataScopeNames.end(), name);
    if (it == kDataScopeNames.end()) return std::nullopt;
    return static_cast<DataScope>(it - kDataScopeNames.begin());
}

const std::vector<PermissionInfo>& PermissionCatalogue() {
    static const std::vector<PermissionInfo> catalogue = {
        {"user:read", "查看用户", "View users", {K::kGovernment, K::kAdministrator, K::kInstitution}},
        {"user:create", "新建用户", "Create users", {K::kAdministrator}},
        {"user:update", "修改用户", "Update users", {K::kAdministrator}},
        {"department:read", "查看部门", "View departments", kStaff},
        {"department:write", "维护部门", "Maintain departments", {K::kAdministrator}},
        {"role:read", "查看角色", "View roles", {K::kAdministrator, K::kAuditor}},
        {"role:write", "维护角色", "Maintain roles", {K::kAdministrator}},
        {"session:read", "查看在线会话", "View online sessions", {K::kAdministrator}},
        {"session:revoke", "强制下线", "Revoke sessions", {K::kAdministrator}},
        {"loginlog:read", "查看登录日志", "View the login log", {K::kAdministrator, K::kAuditor}},
        {"audit:read", "查看审计日志", "View the audit log", {K::kAdministrator, K::kAuditor}},
        {"audit:export", "导出审计日志", "Export the audit log", {K::kAdministrator, K::kAuditor}},
        {"audit:verify", "校验审计哈希链", "Verify the audit chain", {K::kAdministrator, K::kAuditor}},
        {"apikey:read", "查看API密钥", "View API keys", {K::kAdministrator, K::kInstitution}},
        {"apikey:write", "管理API密钥", "Manage API keys", {K::kAdministrator, K::kInstitution}},
        {"institution:read", "查看金融机构", "View institutions", kEveryone},
        {"institution:write", "维护金融机构", "Maintain institutions", kStaff},
        {"enterprise:read", "查看企业", "View enterprises", kEveryone},
        {"enterprise:write", "维护企业", "Maintain enterprises", kStaff},
        {"enterprise:edit_own", "维护本企业信息", "Edit own enterprise profile", {K::kEnterprise}},
        {"enterprise:approve", "审核企业信息变更", "Approve enterprise changes", kStaff},
        {"directory:read", "查看名录与库", "View directories", kEveryone},
        {"directory:write", "维护名录与库", "Maintain directories", kStaff},
        {"import:run", "批量导入", "Run imports", kStaff},
        {"reference:write", "维护参考数据", "Maintain reference data", {K::kAdministrator}},
        {"product:read", "查看金融产品", "View financial products", kEveryone},
        {"product:write", "维护金融产品", "Maintain financial products", {K::kInstitution}},
        {"product:review", "审核金融产品", "Review products before publication", kStaff},
        {"demand:read", "查看融资需求", "View financing demands", {K::kEnterprise, K::kInstitution, K::kGovernment, K::kAdministrator}},
        {"demand:write", "发布融资需求", "Publish financing demands", {K::kEnterprise}},
        {"application:read", "查看融资申请", "View applications", {K::kEnterprise, K::kInstitution, K::kGovernment, K::kAdministrator}},
        {"application:create", "提交融资申请", "Apply for financing", {K::kEnterprise}},
        {"application:decide", "受理与审批", "Accept and decide applications", {K::kInstitution}},
        {"consent:grant", "授权查询信用信息", "Authorise credit-profile access", {K::kEnterprise}},
        {"credit:view", "查看授权的信用画像", "View consented credit profiles", {K::kInstitution}},
        {"loan:read", "查看放款", "View loans", {K::kEnterprise, K::kInstitution, K::kGovernment, K::kAdministrator}},
        {"loan:write", "登记放款与还款", "Record loans and repayments", {K::kInstitution}},
        {"campaign:write", "组织需求征集", "Run demand-collection campaigns", kStaff},
        {"credit:read", "查看企业信用画像与评分监测", "View credit profiles and score monitoring", kStaff},
        {"credit:own", "查看本企业信用画像", "View own credit profile", {K::kEnterprise}},
        {"credit:load", "报送公共信用数据", "Load public credit records", kStaff},
        {"credit:model", "维护评分卡模型", "Maintain scorecard models", {K::kAdministrator}},
        {"whitelist:manage", "白名单候选提出与复核", "Propose and review white-list candidates", kStaff},
        {"kpi:read", "查看驾驶舱、指标与报告", "View the cockpit, indicators and reports", kStaff},
        {"kpi:report", "填报指标数值与评述", "File reported figures and commentary", {K::kGovernment}},
        {"kpi:confirm", "复核填报数值", "Confirm reported figures", {K::kGovernment}},
        {"kpi:target", "维护年度目标", "Maintain yearly targets", {K::kAdministrator}},
        {"kpi:snapshot", "生成月度快照", "Take monthly snapshots", kStaff},
        {"event:write", "登记银企对接活动", "Record matchmaking events", kStaff},
        {"matching:batch", "批量撮合与推荐复现", "Run batch matching and replay recommendations", kStaff},
        {"matching:model", "维护匹配模型", "Maintain matching models", {K::kAdministrator}},
    };
    return catalogue;
}

const PermissionInfo* FindPermission(std::string_view code) {
    for (const auto& p : PermissionCatalogue())
        if (p.code == code) return &p;
    return nullptr;
}

const std::vector<BuiltInRole>& BuiltInRoles() {
    static const std::vector<BuiltInRole> roles = [] {
        std::vector<std::string> all;
        for (const auto& p : PermissionCatalogue())
            if (std::find(p.kinds.begin(), p.kinds.end(), K::kAdministrator) != p.kinds.end()) all.push_back(p.code);
        return std::vector<BuiltInRole>{
            {"admin", "系统管理员", K::kAdministrator, DataScope::kAll, all},
            {"auditor", "审计员", K::kAuditor, DataScope::kAll,
             {"audit:read", "audit:export", "audit:verify", "loginlog:read", "role:read"}},
            {"gov_officer", "政府部门工作人员", K::kGovernment, DataScope::kDepartmentTree,
             {"user:read", "department:read", "institution:read", "enterprise:read", "enterprise:write",
              "enterprise:approve", "directory:read", "directory:write", "import:run", "product:read", "product:review",
              "demand:read", "application:read", "loan:read", "campaign:write", "credit:read", "credit:load",
              "whitelist:manage", "kpi:read", "kpi:report", "kpi:confirm", "kpi:snapshot", "event:write",
              "matching:batch"}},
            {"institution_admin", "金融机构管理员", K::kInstitution, DataScope::kAll,
             {"user:read", "apikey:read", "apikey:write", "institution:read", "enterprise:read", "directory:read",
              "product:read", "product:write", "demand:read", "application:read", "application:decide", "credit:view",
              "loan:read", "loan:write"}},
            {"institution_staff", "金融机构客户经理", K::kInstitution, DataScope::kOwn,
             {"institution:read", "enterprise:read", "directory:read", "product:read", "demand:read", "application:read",
              "application:decide", "credit:view", "loan:read", "loan:write"}},
            {"enterprise_user", "企业用户", K::kEnterprise, DataScope::kOwn,
             {"enterprise:read", "enterprise:edit_own", "institution:read", "directory:read", "product:read",
              "demand:read", "demand:write", "application:read", "application:create", "consent:grant", "loan:read",
              "credit:own"}},
        };
    }();
    return roles;
}

}  // namespace chanrong::auth
