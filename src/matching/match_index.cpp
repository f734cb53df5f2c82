#include "matching/match_index.hpp"

#include <algorithm>

namespace chanrong::matching {
using detail::ClearBit;
using detail::SetBit;

MatchIndex::MatchIndex(std::shared_ptr<const ScoringModel> model) : model_(std::move(model)) {}

void MatchIndex::SetModel(std::shared_ptr<const ScoringModel> model) {
    model_ = std::move(model);
    for (const auto& [id, slot] : product_slot_) column_[slot] = model_->Column(products_[slot].institution_id);
    for (auto& row : enterprises_) {
        if (!row.live) continue;
        const Enterprise e = RowToEnterprise(row);
        row.features = FeatureList{};
        model_->AppendEnterpriseFeatures(e, row.features);
        row.profile = model_->ProfileScore(e);
    }
    for (const auto& [id, slot] : product_slot_) RefreshProductCaches(slot);
}

void MatchIndex::UpsertInstitution(const Institution& institution) {
    institutions_[institution.id] = institution;
    if (auto it = institution_products_.find(institution.id); it != institution_products_.end())
        for (long long pid : it->second) RefreshProductCaches(product_slot_.at(pid));
}

std::uint32_t MatchIndex::AllocateProductSlot() {
    if (!free_product_slots_.empty()) {
        const std::uint32_t slot = free_product_slots_.back();
        free_product_slots_.pop_back();
        return slot;
    }
    const auto slot = static_cast<std::uint32_t>(products_.size());
    products_.emplace_back();
    labels_.emplace_back();
    for (auto* v : {&amount_min_, &amount_max_}) v->push_back(0);
    for (auto* v : {&ln_amount_min_, &ln_amount_max_, &service_, &policy_}) v->push_back(0);
    for (auto* v : {&term_min_, &term_max_, &rate_min_, &min_years_, &column_}) v->push_back(0);
    kind_.push_back(0);
    if (slot / 64 >= words_) {
        words_ = std::max<size_t>(4, words_ * 2);
        for (auto* w : {&active_, &equity_}) w->resize(words_, 0);
        for (auto& w : grade_pass_) w.resize(words_, 0);
        for (auto& w : collateral_req_) w.resize(words_, 0);
        for (auto* r : {&classes_, &industries_, &districts_, &sizes_, &tags_, &dirs_, &stages_, &guarantee_kinds_})
            r->Resize(words_);
    }
    return slot;
}

std::vector<std::uint32_t> MatchIndex::Ids(const std::vector<std::string>& values) const {
    std::vector<std::uint32_t> ids;
    for (const auto& v : values)
        if (auto id = strings_.Find(v)) ids.push_back(id);
    return ids;
}

void MatchIndex::IndexProduct(std::uint32_t slot, bool add) {
    const Product& p = products_[slot];
    const ProductRules& r = p.rules;
    if (add)
        for (const auto* list : {&r.classes446, &r.industry_prefixes, &r.districts, &r.tags, &r.directories, &r.guarantee_kinds})
            for (const auto& v : *list) strings_.Intern(v);
    auto apply = [&](detail::LabelRule& rule, const std::vector<std::uint32_t>& ids) {
        add ? rule.Add(slot, ids) : rule.Remove(slot, ids);
    };
    apply(classes_, Ids(r.classes446));
    apply(industries_, Ids(r.industry_prefixes));
    apply(districts_, Ids(r.districts));
    apply(tags_, Ids(r.tags));
    apply(dirs_, Ids(r.directories));
    apply(guarantee_kinds_, Ids(r.guarantee_kinds));
    std::vector<std::uint32_t> sizes, stages;
    for (auto s : r.sizes) sizes.push_back(static_cast<std::uint32_t>(s) + 1);
    for (auto s : r.stages) stages.push_back(static_cast<std::uint32_t>(s) + 1);
    apply(sizes_, sizes);
    apply(stages_, stages);
    auto bit = [&](detail::Words& w, bool on) { if (add && on) SetBit(w, slot); else ClearBit(w, slot); };
    for (int g = 0; g < kGradeCount; ++g) {
        const auto grade = static_cast<CreditGrade>(g);
        bit(grade_pass_[g], !r.min_credit_grade || (grade != CreditGrade::kUnknown && grade <= *r.min_credit_grade));
    }
    for (int c = 0; c < 5; ++c) bit(collateral_req_[c], static_cast<int>(r.collateral) == c);
    bit(active_, true);
    bit(equity_, p.kind == ProductKind::kEquity);
}

void MatchIndex::RefreshProductCaches(std::uint32_t slot) {
    const Product& p = products_[slot];
    labels_[slot].clear();  // the product or its institution changed
    ++product_generation_;
    amount_min_[slot] = p.rules.amount_min_fen;
    amount_max_[slot] = p.rules.amount_max_fen;
    ln_amount_min_[slot] = ScoringModel::LnFen(p.rules.amount_min_fen);
    ln_amount_max_[slot] = ScoringModel::LnFen(p.rules.amount_max_fen);
    term_min_[slot] = p.rules.term_min_months;
    term_max_[slot] = p.rules.term_max_months;
    rate_min_[slot] = p.rules.rate_min_bp;
    min_years_[slot] = p.rules.min_years;
    kind_[slot] = static_cast<std::uint8_t>(p.kind);
    column_[slot] = model_->Column(p.institution_id);
    auto inst = institutions_.find(p.institution_id);
    service_[slot] = model_->ServiceScore(inst == institutions_.end() ? Institution{p.institution_id} : inst->second);
    policy_[slot] = model_->PolicyScore(p);
}

void MatchIndex::UpsertProduct(const Product& product) {
    std::uint32_t slot;
    if (auto it = product_slot_.find(product.id); it != product_slot_.end()) {
        slot = it->second;
        IndexProduct(slot, false);
        if (products_[slot].institution_id != product.institution_id) {
            auto& list = institution_products_[products_[slot].institution_id];
            std::erase(list, product.id);
            institution_products_[product.institution_id].push_back(product.id);
        }
    } else {
        slot = AllocateProductSlot();
        product_slot_[product.id] = slot;
        institution_products_[product.institution_id].push_back(product.id);
    }
    products_[slot] = product;
    RefreshProductCaches(slot);
    IndexProduct(slot, true);
}

void MatchIndex::RemoveProduct(long long product_id) {
    auto it = product_slot_.find(product_id);
    if (it == product_slot_.end()) return;
    const std::uint32_t slot = it->second;
    IndexProduct(slot, false);
    std::erase(institution_products_[products_[slot].institution_id], product_id);
    products_[slot] = Product{};
    labels_[slot].clear();
    ++product_generation_;
    product_slot_.erase(it);
    free_product_slots_.push_back(slot);
}

MatchIndex::EnterpriseRow MatchIndex::MakeRow(const Enterprise& e) {
    EnterpriseRow row;
    row.id = e.id;
    row.class_id = e.class446.empty() ? 0 : strings_.Intern(e.class446);
    row.industry_id = e.industry_code.empty() ? 0 : strings_.Intern(e.industry_code);
    row.district_id = e.district.empty() ? 0 : strings_.Intern(e.district);
    row.size = static_cast<std::uint8_t>(e.size);
    row.grade = static_cast<std::uint8_t>(e.grade);
    row.stage = static_cast<std::uint8_t>(e.stage);
    row.live = 1;
    row.years = e.years_in_business;
    for (const auto& t : e.tags) row.tags.push_back(strings_.Intern(t));
    for (const auto& d : e.directories) row.dirs.push_back(strings_.Intern(d));
    row.tags.shrink_to_fit();
    row.dirs.shrink_to_fit();
    model_->AppendEnterpriseFeatures(e, row.features);
    row.profile = model_->ProfileScore(e);
    return row;
}

Enterprise MatchIndex::RowToEnterprise(const EnterpriseRow& row) const {
    Enterprise e;
    e.id = row.id;
    auto name = [&](std::uint32_t id) { return id ? strings_.Name(id) : std::string(); };
    e.class446 = name(row.class_id);
    e.industry_code = name(row.industry_id);
    e.district = name(row.district_id);
    e.size = static_cast<SizeClass>(row.size);
    e.grade = static_cast<CreditGrade>(row.grade);
    e.stage = static_cast<Stage>(row.stage);
    e.years_in_business = row.years;
    for (auto t : row.tags) e.tags.push_back(name(t));
    for (auto d : row.dirs) e.directories.push_back(name(d));
    return e;
}

void MatchIndex::UpsertEnterprise(const Enterprise& enterprise) {
    EnterpriseRow row = MakeRow(enterprise);
    if (auto it = enterprise_slot_.find(enterprise.id); it != enterprise_slot_.end()) {
        enterprises_[it->second] = std::move(row);
        return;
    }
    std::uint32_t slot;
    if (!free_enterprise_slots_.empty()) {
        slot = free_enterprise_slots_.back();
        free_enterprise_slots_.pop_back();
        enterprises_[slot] = std::move(row);
    } else {
        slot = static_cast<std::uint32_t>(enterprises_.size());
        enterprises_.push_back(std::move(row));
    }
    enterprise_slot_[enterprise.id] = slot;
}

void MatchIndex::RemoveEnterprise(long long enterprise_id) {
    auto it = enterprise_slot_.find(enterprise_id);
    if (it == enterprise_slot_.end()) return;
    enterprises_[it->second] = EnterpriseRow{};
    free_enterprise_slots_.push_back(it->second);
    enterprise_slot_.erase(it);
}

void MatchIndex::UpsertDemand(const Demand& demand) {
    if (auto it = demand_slot_.find(demand.id); it != demand_slot_.end()) {
        demands_[it->second] = demand;
        return;
    }
    std::uint32_t slot;
    if (!free_demand_slots_.empty()) {
        slot = free_demand_slots_.back();
        free_demand_slots_.pop_back();
        demands_[slot] = demand;
    } else {
        slot = static_cast<std::uint32_t>(demands_.size());
        demands_.push_back(demand);
    }
    demand_slot_[demand.id] = slot;
}

void MatchIndex::RemoveDemand(long long demand_id) {
    auto it = demand_slot_.find(demand_id);
    if (it == demand_slot_.end()) return;
    demands_[it->second] = Demand{};
    free_demand_slots_.push_back(it->second);
    demand_slot_.erase(it);
}

const Product* MatchIndex::FindProduct(long long id) const {
    auto it = product_slot_.find(id);
    return it == product_slot_.end() ? nullptr : &products_[it->second];
}

const Institution* MatchIndex::FindInstitution(long long id) const {
    auto it = institutions_.find(id);
    return it == institutions_.end() ? nullptr : &it->second;
}

std::optional<Enterprise> MatchIndex::FindEnterprise(long long id) const {
    auto it = enterprise_slot_.find(id);
    if (it == enterprise_slot_.end()) return std::nullopt;
    return RowToEnterprise(enterprises_[it->second]);
}

const Demand* MatchIndex::FindDemand(long long id) const {
    auto it = demand_slot_.find(id);
    return it == demand_slot_.end() ? nullptr : &demands_[it->second];
}

std::vector<long long> MatchIndex::ProductIds() const {
    std::vector<long long> ids;
    ids.reserve(product_slot_.size());
    for (const auto& [id, _] : product_slot_) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

void MatchIndex::SetProductLabel(long long product_id, std::string label) {
    if (auto it = product_slot_.find(product_id); it != product_slot_.end()) labels_[it->second] = std::move(label);
}

std::string_view MatchIndex::ProductLabel(long long product_id) const {
    auto it = product_slot_.find(product_id);
    return it == product_slot_.end() ? std::string_view() : std::string_view(labels_[it->second]);
}

std::vector<long long> MatchIndex::UnlabelledProducts() const {
    std::vector<long long> ids;
    for (const auto& [id, slot] : product_slot_)
        if (labels_[slot].empty()) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::vector<long long> MatchIndex::OpenDemandIds() const {
    std::vector<long long> ids;
    ids.reserve(demand_slot_.size());
    for (const auto& d : demands_)
        if (d.id != 0) ids.push_back(d.id);
    return ids;
}

size_t MatchIndex::MemoryBytes() const {
    constexpr size_t kMapNode = 32;  // unordered_map node + bucket, approximately
    size_t bytes = products_.capacity() * sizeof(Product) + product_slot_.size() * kMapNode;
    bytes += products_.size() * (2 * 8 + 4 * 8 + 5 * 4 + 1 + sizeof(std::string));
    bytes += words_ * 8 * (2 + kGradeCount + 5);
    for (const auto* r : {&classes_, &industries_, &districts_, &sizes_, &tags_, &dirs_, &stages_, &guarantee_kinds_})
        bytes += r->MemoryBytes();
    bytes += enterprises_.capacity() * sizeof(EnterpriseRow) + enterprise_slot_.size() * kMapNode;
    for (const auto& row : enterprises_) bytes += (row.tags.capacity() + row.dirs.capacity()) * 4;
    bytes += demands_.capacity() * sizeof(Demand) + demand_slot_.size() * kMapNode;
    for (const auto& d : demands_) {
        if (d.collateral.capacity() > 15) bytes += d.collateral.capacity();
        if (d.guarantee.capacity() > 15) bytes += d.guarantee.capacity();
    }
    return bytes + strings_.MemoryBytes() + institutions_.size() * (sizeof(Institution) + kMapNode);
}

}  // namespace chanrong::matching
