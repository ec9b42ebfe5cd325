"""The report's words for the answers, the findings in words, the inventory checks and the appendix.

Part of `i18n.TEXT` (merged there; read them with `i18n.text`). Kept apart only to keep each module
short. Units: masses stay in SI symbols (Gt, Mt, kt: 1 Gt = 10 亿吨), years are "年", shares "%".
"""

from __future__ import annotations

from typing import Final

PAGE_TEXT: Final[dict[str, dict[str, str]]] = {
    "list_sep": {"en": ", ", "zh": "、"},
    "basis_sep": {"en": "; ", "zh": "；"},
    "value_in_year": {"en": "{value} ({year})", "zh": "{value}（{year} 年）"},
    "period": {"en": ".", "zh": "。"},
    # bases in words (docs/methods.md, "Years outside the tables")
    "basis_table": {"en": "real table", "zh": "真实表格"},
    "basis_table+scaled_emissions": {
        "en": "real table, emissions of another year scaled",
        "zh": "真实表格，排放由其他年份按比例推算",
    },
    "basis_scaled_table+emissions": {
        "en": "table of another year, scaled",
        "zh": "其他年份表格，按比例推算",
    },
    "basis_scaled_table+scaled_emissions": {
        "en": "table and emissions of other years, scaled",
        "zh": "其他年份的表格与排放，按比例推算",
    },
    "basis_mixed": {
        "en": "real tables, and estimated years (dashed, hatched)",
        "zh": "真实表格，以及估算年份（虚线、阴影）",
    },
    "basis_table_years": {"en": "real table", "zh": "真实表格"},
    "basis_table+scaled_emissions_years": {
        "en": "real table, emissions of {b} scaled",
        "zh": "真实表格，{b} 年排放按比例推算",
    },
    "basis_scaled_table+emissions_years": {"en": "table of {a}, scaled", "zh": "{a} 年表格，按比例推算"},
    "basis_scaled_table+scaled_emissions_years": {
        "en": "table of {a} and emissions of {b}, scaled",
        "zh": "{a} 年表格与 {b} 年排放，按比例推算",
    },
    "prices_constant": {"en": "constant {year} USD", "zh": "{year} 年不变价美元"},
    "prices_benchmark": {"en": "USD at the prices of the {year} table", "zh": "按 {year} 年表格价格计的美元"},
    "prices_current": {"en": "current USD", "zh": "现价美元"},
    "principle_residence": {
        "en": "residence principle (the emissions source as published: emissions of resident operators, "
        "bunker fuels included)",
        "zh": "居民原则（排放数据按原样使用：本国常住单位的排放，含国际燃料舱）",
    },
    "principle_territorial": {
        "en": "territorial principle (each country's emissions scaled to its national inventory total)",
        "zh": "领土原则（各国排放按其国家清单总量缩放）",
    },
    "principle_inventory": {
        "en": "National inventory: {principles}.",
        "zh": "国家清单：{principles}。",
    },
    "subject_major_developed": {"en": "major developed economies", "zh": "主要发达经济体"},
    "subject_major_developing": {"en": "major developing economies", "zh": "主要发展中经济体"},
    # findings in words
    "col_finding": {"en": "finding", "zh": "发现"},
    "col_subject": {"en": "region or group", "zh": "地区或国家组"},
    "col_statement": {"en": "statement", "zh": "陈述"},
    "finding_cba_above": {"en": "consumption above production", "zh": "消费侧高于生产侧"},
    "finding_pba_above": {"en": "production above consumption", "zh": "生产侧高于消费侧"},
    "finding_gap": {"en": "production minus consumption", "zh": "生产侧减消费侧"},
    "finding_decline": {"en": "export carbon intensity", "zh": "出口碳强度"},
    "finding_other": {"en": "other", "zh": "其他"},
    "say_years_hold": {
        "en": "{subject}: {relation} in {n} of {of} years",
        "zh": "{subject}：{of} 年中有 {n} 年 {relation}",
    },
    "say_economies_hold": {
        "en": "{n} of {of} {subject}: {relation} in every year",
        "zh": "{of} 个{subject}中有 {n} 个每年 {relation}",
    },
    "say_relation": {"en": "{subject}: {relation}", "zh": "{subject}：{relation}"},
    "say_gap_first": {
        "en": "{subject}: PBA - CBA = {value} {unit} in {year} (first year)",
        "zh": "{subject}：{year} 年（首年）PBA - CBA = {value} {unit}",
    },
    "say_gap_last": {
        "en": "{subject}: PBA - CBA = {value} {unit} in {year} (last year)",
        "zh": "{subject}：{year} 年（末年）PBA - CBA = {value} {unit}",
    },
    "say_gap_peak": {
        "en": "{subject}: largest gap PBA - CBA = {value} {unit}, in {year}",
        "zh": "{subject}：最大差额 PBA - CBA = {value} {unit}，出现在 {year} 年",
    },
    "say_decline": {
        "en": "{subject}: {what} ({prices}) {value} % lower in {b} than in {a}",
        "zh": "{subject}：{what}（{prices}）{b} 年比 {a} 年低 {value}%",
    },
    "say_unknown": {"en": "{finding}", "zh": "（见工作簿）"},
    "intensity_EXPORT_INTENSITY_TOTAL": {
        "en": "total export carbon intensity (all upstream emissions per USD exported)",
        "zh": "出口总碳强度（每美元出口的全部上游排放）",
    },
    "intensity_EXPORT_INTENSITY_DOMESTIC": {
        "en": "domestic export carbon intensity (emissions in the exporter per USD exported)",
        "zh": "出口国内碳强度（每美元出口在本国产生的排放）",
    },
    # metadata in words
    "principle": {"en": "Emissions principle", "zh": "排放核算原则"},
    "entry_principle_residence": {"en": "residence principle", "zh": "居民原则"},
    "entry_principle_territorial": {"en": "territorial principle", "zh": "领土原则"},
    "gap_scale_rows": {
        "en": "rows scaled to the published gross output (scale_rows)",
        "zh": "各行按公布的总产出缩放",
    },
    "gap_recompute": {
        "en": "gross output recomputed as Z1 + Y1 (recompute)",
        "zh": "总产出按 Z1 + Y1 重新计算",
    },
    "gap_residual_category": {
        "en": "the gap booked as a residual final-demand category (residual_category)",
        "zh": "差额计入一个残差最终需求类别",
    },
    "prices_of_series": {
        "en": "current prices of each year's table",
        "zh": "各年表格的现价",
    },
    "prices_of_series_scaled": {
        "en": "current prices of each year's table; years estimated from another year's table are at "
        "that table's prices",
        "zh": "各年表格的现价；由其他年份表格推算的年份按该表格年份的价格计",
    },
    "method_words": {
        "en": 'MRIO final-demand view (Leontief model), docs/methods.md, "National accounts" and '
        '"Export carbon intensity"',
        "zh": "多区域投入产出最终需求视角（里昂惕夫模型），见方法说明“国家账户”与“出口碳强度”两节",
    },
    "national_table": {"en": "National table", "zh": "国家数据表"},
    # column headers of the optional tables
    "col_table_benchmark_year": {"en": "table_benchmark_year", "zh": "基准表年份"},
    "col_emission_benchmark_year": {"en": "emission_benchmark_year", "zh": "基准排放年份"},
    "col_horizon": {"en": "horizon", "zh": "时距（年）"},
    "col_account": {"en": "account", "zh": "账户"},
    "col_stressor": {"en": "stressor", "zh": "排放物"},
    "col_unit": {"en": "unit", "zh": "单位"},
    "col_statistic": {"en": "statistic", "zh": "统计量"},
    "col_cases": {"en": "cases", "zh": "案例数"},
    "col_option": {"en": "option", "zh": "选项"},
    "col_scale_rows": {"en": "scale_rows", "zh": "按行缩放"},
    "col_residual_category": {"en": "residual_category", "zh": "残差类别"},
    "col_relative_change": {"en": "relative_change", "zh": "相对变化"},
    "col_flagged": {"en": "flagged", "zh": "已标记"},
    "col_measure": {"en": "measure", "zh": "度量"},
    "col_prices": {"en": "prices", "zh": "价格"},
    "col_deflator_year": {"en": "deflator_year", "zh": "价格指数年份"},
    "col_benchmark_year": {"en": "benchmark_year", "zh": "基准年份"},
    "col_error_stat": {"en": "{account} {stat} |error| %", "zh": "{account} 误差绝对值{stat}（%）"},
    "stat_median": {"en": "median", "zh": "中位数"},
    "stat_p90": {"en": "p90", "zh": "第 90 百分位数"},
    "yes": {"en": "yes", "zh": "是"},
    "no": {"en": "no", "zh": "否"},
    "option_output_gap": {"en": "output_gap", "zh": "总产出差额"},
    "grouping_oecd_in_year": {"en": "OECD members in each year", "zh": "经合组织（各年当年成员）"},
    "grouping_oecd_current": {"en": "OECD members today, all years", "zh": "经合组织（现成员，所有年份）"},
    "grouping_major_economies": {"en": "major economies", "zh": "主要经济体"},
    "grouping_eu27": {"en": "EU27", "zh": "欧盟27国"},
    "grouping_g20": {"en": "G20", "zh": "二十国集团"},
    "grouping_regions": {"en": "single regions", "zh": "单个地区"},
    "map_no_iso": {
        "en": "Not drawn: no region of this series has both an ISO 3166 country code and a per-capita gap.",
        "zh": "未绘制：本序列没有同时具有 ISO 国家代码和人均差额的地区。",
    },
    "threshold_points": {"en": "{n} percentage points", "zh": "{n} 个百分点"},
    # the answers section
    "answers": {"en": "Answers", "zh": "答案"},
    "answers_intro": {
        "en": "Our figures, read off this series' findings table, beside the figures published by the "
        "Chinese Academy of Sciences report. They differ for reasons explained in",
        "zh": "本序列“主要发现”表中的数字，与中国科学院报告公布的数字并列。两者不同的原因见",
    },
    "why_link": {"en": "why they differ", "zh": "为何不同"},
    "col_question": {"en": "question", "zh": "问题"},
    "col_ours": {"en": "our figure", "zh": "本报告数字"},
    "col_years_basis": {"en": "basis of the years", "zh": "所依据年份的数据基础"},
    "col_error": {"en": "expected error (skill test)", "zh": "预期误差（外推检验）"},
    "col_published": {"en": "published figure", "zh": "公布的数字"},
    "question_developed_cba_above_pba": {
        "en": "Did major developed economies consume more CO2 than they produced (CBA > PBA)?",
        "zh": "主要发达经济体消费的 CO2 是否多于生产的（CBA > PBA）？",
    },
    "question_non_oecd_gap": {
        "en": "Non-OECD production minus consumption (PBA - CBA), first and last year",
        "zh": "非经合组织的生产侧减消费侧排放（PBA - CBA），首年与末年",
    },
    "question_china_gap": {
        "en": "China's production minus consumption (PBA - CBA), first and last year",
        "zh": "中国的生产侧减消费侧排放（PBA - CBA），首年与末年",
    },
    "question_china_export_intensity": {
        "en": "Decline of China's export carbon intensity",
        "zh": "中国出口碳强度的下降",
    },
    "ours_developed": {
        "en": "{n} of {of} in every year {a}-{b}: {names}",
        "zh": "{of} 个中有 {n} 个在 {a}-{b} 年每年如此：{names}",
    },
    "ours_decline": {
        "en": "{value} lower in {b} than in {a}: {what}, {prices}",
        "zh": "{b} 年比 {a} 年低 {value}：{what}，{prices}",
    },
    "published_developed": {
        "en": "yes: CBA > PBA ({a}-{b})",
        "zh": "是：CBA > PBA（{a}-{b} 年）",
    },
    "published_decline": {"en": "{value} % lower ({a}-{b})", "zh": "下降 {value}%（{a}-{b} 年）"},
    "answer_missing": {
        "en": "not in this series' findings table",
        "zh": "本序列的“主要发现”表中没有此项",
    },
    "year_is": {"en": "{year}: {basis}", "zh": "{year} 年：{basis}"},
    "basis_count": {
        "en": "{real} years from real tables with their own emissions, {estimated} estimated",
        "zh": "{real} 年来自带有本年排放的真实表格，{estimated} 年为估算",
    },
    "error_real": {"en": "{year}: real table, no extension error", "zh": "{year} 年：真实表格，无外推误差"},
    "error_of_year": {
        "en": "{year}: about {error} % (median error of {account} over regions, {horizon} years from the "
        "benchmark)",
        "zh": "{year} 年：约 {error}%（各地区 {account} 误差的中位数，距基准年 {horizon} 年）",
    },
    "error_of_year_region": {
        "en": "{year}: about {error} % (median error of {account} of {region}, {horizon} years from the "
        "benchmark)",
        "zh": "{year} 年：约 {error}%（{region} {account} 误差的中位数，距基准年 {horizon} 年）",
    },
    "error_not_tested": {
        "en": "{year}: {horizon} years from the benchmark, beyond the horizons the skill test covers",
        "zh": "{year} 年：距基准年 {horizon} 年，超出外推检验覆盖的时距",
    },
    "error_no_skill": {
        "en": "{year}: estimated; the skill test was not run for this series",
        "zh": "{year} 年：估算值；本序列未运行外推检验",
    },
    "error_sign": {
        "en": "a statement of signs in every year; the errors of estimated years are in the table of "
        "estimated years",
        "zh": "关于每年正负的陈述；估算年份的误差见估算年份误差表",
    },
    "answers_source": {"en": "Published figures:", "zh": "公布数字来源："},
    # why they differ
    "why": {"en": "Why our figures differ from the published ones", "zh": "本报告数字与公布数字为何不同"},
    "why_database": {
        "en": "Database and regions. This series uses {source}: {regions} regions, of which one is a "
        "rest of the world. A region outside the table's countries is inside that rest of the world, so "
        "non-OECD here is the table's non-OECD countries plus the rest of the world; the published report "
        "used another database with other countries and sectors. Published studies differ by 10-20 % "
        "per country for this reason alone (Moran and Wood 2014).",
        "zh": "数据库与地区。本序列使用 {source}：共 {regions} 个地区，其中一个为世界其他地区。表外国家都"
        "归入世界其他地区，因此这里的非经合组织是表中非经合组织国家加上世界其他地区；公布的报告使用了另一个"
        "数据库，国家和部门都不同。仅此一项，已发表研究之间每个国家就相差 10-20%（Moran 和 Wood，2014）。",
    },
    "why_principle": {
        "en": "Residence or territorial principle. This series uses the {principle}. National inventories "
        "count emissions on a country's territory and leave international bunker fuels out; the two "
        "totals differ, most for countries with large shipping and aviation fleets.",
        "zh": "居民原则或领土原则。本序列采用{principle}。国家清单统计一国领土上的排放，不计国际燃料舱；"
        "两种总量不同，对航运和航空规模大的国家差别最大。",
    },
    "why_estimated": {
        "en": "Estimated years. The tables cover {tables}; the other years ({years}) are estimated from "
        "the nearest table and the nearest year with sector emissions, scaled by national GDP and "
        "emission indices. That holds trade patterns and technology fixed, so a country's export boom "
        "after the last table is not seen; the skill test measures the error this makes.",
        "zh": "估算年份。投入产出表覆盖 {tables} 年；其余年份（{years}）由最近的表格和最近一年的部门排放，"
        "按各国 GDP 和排放指数推算。这样贸易格局和技术保持不变，最后一张表之后一国的出口激增无法体现；"
        "外推检验衡量由此产生的误差。",
    },
    "why_prices": {
        "en": "Prices. An intensity is emissions per USD exported, so its decline depends on how the USD "
        "of different years are made comparable: here {prices}. Current prices, another deflator or "
        "exchange rates give a different decline.",
        "zh": "价格。碳强度是每美元出口的排放，因此其下降幅度取决于如何使不同年份的美元可比：本报告采用"
        "{prices}。采用现价、其他价格指数或汇率会得到不同的下降幅度。",
    },
    # inventory checks
    "inventory": {"en": "Checked against national inventories", "zh": "与国家排放清单的核对"},
    "inventory_intro": {
        "en": "Each region's PBA beside the territorial CO2 of the national table, their ratio, and the "
        "years where the emissions source jumps while the inventory does not.",
        "zh": "各地区的 PBA 与国家数据表中的领土 CO2 并列，给出两者之比，以及排放来源出现跳变而国家清单"
        "没有跳变的年份。",
    },
    "inventory_principle": {
        "en": "Emissions principle of this series: {principle}.",
        "zh": "本序列的排放核算原则：{principle}。",
    },
    "inventory_threshold": {
        "en": "A year is flagged when the source's growth and the inventory's differ by more than "
        "{threshold}.",
        "zh": "当排放来源与国家清单的年增长率相差超过 {threshold} 时，该年被标记。",
    },
    "inventory_breaks": {
        "en": "Flagged breaks of the emissions source ({source}):",
        "zh": "排放数据来源（{source}）中标记的跳变：",
    },
    "inventory_none": {
        "en": "No year-on-year break of the source that the inventory does not show.",
        "zh": "没有排放来源出现而国家清单未出现的年际跳变。",
    },
    "inventory_absent": {
        "en": "Not computed for this series (inventory_check.csv was not found in the series folder).",
        "zh": "本序列未计算此项（序列文件夹中没有 inventory_check.csv）。",
    },
    "break_note": {
        "en": "{region}, {a} → {b}: PBA {before} → {after} {unit} ({source_growth} %), national inventory "
        "{inventory_growth} %. The break is in the emissions source itself, not in the national "
        "inventory: read the change between these years with care.",
        "zh": "{region}，{a} → {b} 年：PBA 从 {before} 变为 {after} {unit}（{source_growth}%），国家清单"
        "变化 {inventory_growth}%。跳变来自排放数据来源本身，而非国家清单：解读这两年之间的变化时须谨慎。",
    },
    "break_short": {
        "en": "{region}, {a} → {b}: PBA {before} → {after} {unit} ({source_growth} %), national inventory "
        "{inventory_growth} %",
        "zh": "{region}，{a} → {b} 年：PBA 从 {before} 变为 {after} {unit}（{source_growth}%），国家清单"
        "变化 {inventory_growth}%",
    },
    "breaks_others": {
        "en": "The other flagged years, where the growth of the source and of the inventory differ by "
        "more than the threshold:",
        "zh": "其他被标记的年份（排放来源与国家清单的增长率之差超过阈值）：",
    },
    "sheet_inventory": {"en": "inventory check", "zh": "清单核对"},
    "sheet_inventory_summary": {"en": "PBA to inventory by region", "zh": "各地区 PBA 与清单之比"},
    "check_INVENTORY": {"en": "national inventory", "zh": "国家清单"},
    "check_PBA_TO_INVENTORY": {"en": "PBA / inventory", "zh": "PBA / 清单"},
    "check_SOURCE_GROWTH": {"en": "source growth", "zh": "来源增长率"},
    "check_INVENTORY_GROWTH": {"en": "inventory growth", "zh": "清单增长率"},
    "check_BREAK_FLAG": {"en": "break flagged", "zh": "跳变标记"},
    "col_ratio_min": {"en": "PBA / inventory, lowest", "zh": "PBA / 清单，最低"},
    "col_ratio_median": {"en": "PBA / inventory, median", "zh": "PBA / 清单，中位数"},
    "col_ratio_max": {"en": "PBA / inventory, highest", "zh": "PBA / 清单，最高"},
    "col_breaks": {"en": "flagged breaks", "zh": "标记的跳变"},
    # every region
    "regions": {"en": "Every region", "zh": "所有地区"},
    "regions_intro": {
        "en": "PBA and CBA over time (above) and the gap PBA - CBA (below, > 0: net exporter of embodied "
        "emissions) for every region of the table. Go to:",
        "zh": "表中每个地区的 PBA 与 CBA 随时间变化（上）及差额 PBA - CBA"
        "（下，> 0 为隐含排放净出口）。跳转到：",
    },
    "findings_intro": {
        "en": "The findings in words; the full table with methods and sources is in the workbook.",
        "zh": "以文字表述的主要发现；含方法与来源的完整表格见工作簿。",
    },
    "more_rows": {"en": "… {n} more rows in the workbook and CSV.", "zh": "…… 另有 {n} 行，见工作簿和 CSV。"},
}
