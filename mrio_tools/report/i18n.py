"""The report's words in English and Chinese: texts, account and basis names, region names.

Region names: English from country_converter (`name_short`), Chinese from the documented table
`mrio_tools/data/i18n/region_names.csv` (country_converter has no Chinese names); a code in neither
is shown as it is.
"""

from __future__ import annotations

import csv
import functools
from importlib import resources
from typing import Final

from mrio_tools.choices import Lang
from mrio_tools.report.i18n_page import PAGE_TEXT

TEXT: Final[dict[str, dict[str, str]]] = {
    "title": {
        "en": "Production- and consumption-based emissions: {stressor}",
        "zh": "生产侧与消费侧排放：{stressor}",
    },
    "demo_banner": {
        "en": "DEMONSTRATION DATA: synthetic regions, not real countries. Nothing here is a result.",
        "zh": "演示数据：虚构区域，并非真实国家。此处数字不是研究结果。",
    },
    "demo_tag": {"en": "[DEMONSTRATION DATA] ", "zh": "【演示数据】"},
    "what": {"en": "What was computed, from which data", "zh": "计算内容与数据来源"},
    "source": {"en": "Table source", "zh": "投入产出表来源"},
    "version": {"en": "Version", "zh": "版本"},
    "years": {"en": "Years", "zh": "年份"},
    "stressor": {"en": "Stressor", "zh": "排放物"},
    "units": {"en": "Units", "zh": "单位"},
    "emissions": {"en": "Emissions data and principle", "zh": "排放数据与核算原则"},
    "output_gap": {"en": "Output gap treatment", "zh": "总产出差额处理"},
    "prices": {"en": "Price basis", "zh": "价格基准"},
    "method": {"en": "Method", "zh": "方法"},
    "extension": {"en": "Years outside the tables (extension)", "zh": "表外年份（外推）"},
    "extension_none": {
        "en": "None: every year comes from a real table with its own sector emissions.",
        "zh": "无：所有年份均来自真实投入产出表及其部门排放。",
    },
    "extension_years": {
        "en": "Extended (estimated) years: {years}. They are hatched or dashed in every figure and "
        "marked † in every table.",
        "zh": "外推（估算）年份：{years}。在所有图中以阴影线或虚线表示，在所有表中以 † 标记。",
    },
    "skill_error": {"en": "Skill test of the extension", "zh": "外推方法检验"},
    "not_computed": {
        "en": "Not computed for this series ({what} was not found in the series folder).",
        "zh": "本序列未计算此项（序列文件夹中没有 {what}）。",
    },
    "not_recorded": {"en": "not recorded", "zh": "未记录"},
    "findings": {"en": "Findings", "zh": "主要发现"},
    "figures": {"en": "Figures", "zh": "图"},
    "tables": {"en": "Tables behind the figures", "zh": "图背后的数据表"},
    "reproduce": {"en": "How to reproduce", "zh": "如何复现"},
    "reproduce_text": {
        "en": "The series was written by the command below; this report was drawn from its saved "
        "folder {folder} without recomputing accounts.",
        "zh": "该序列由以下命令生成；本报告读取其保存的文件夹 {folder} 绘制，未重新计算账户。",
    },
    "report_command": {"en": "Report command", "zh": "报告命令"},
    "downloads": {"en": "Files", "zh": "文件"},
    "downloads_text": {
        "en": "Figures as SVG in figures/, tables as Excel (tables/policy_tables.xlsx), CSV and parquet "
        "in tables/.",
        "zh": "图的 SVG 文件在 figures/，表格为 Excel（tables/policy_tables.xlsx）、"
        "CSV 和 parquet，位于 tables/。",
    },
    "extended_mark": {
        "en": "† estimated year (not from a real table with its own emissions)",
        "zh": "† 估算年份（并非来自带有本年排放的真实表格）",
    },
    "notes": {"en": "notes", "zh": "说明"},
    "note_key": {"en": "item", "zh": "项目"},
    "note_value": {"en": "value", "zh": "内容"},
    # figures
    "year": {"en": "year", "zh": "年份"},
    "fig_pba_cba": {
        "en": "Production- (PBA) and consumption-based (CBA) {stressor}",
        "zh": "生产侧（PBA）与消费侧（CBA）{stressor}",
    },
    "fig_pba_cba_groups": {
        "en": "PBA and CBA of country groups, {stressor}",
        "zh": "国家组的 PBA 与 CBA，{stressor}",
    },
    "fig_gap_ranked": {
        "en": "Production minus consumption (PBA - CBA), {year}: > 0 net exporter of embodied emissions",
        "zh": "生产侧减消费侧排放（PBA - CBA），{year} 年：> 0 为隐含排放净出口",
    },
    "fig_gap_groups": {
        "en": "PBA - CBA of country groups over time",
        "zh": "国家组 PBA - CBA 随时间变化",
    },
    "fig_intensity": {
        "en": "Export carbon intensity, index (first year = 100)",
        "zh": "出口碳强度指数（首年 = 100）",
    },
    "fig_flows": {
        "en": "Largest embodied-emission flows between regions, {year}",
        "zh": "区域间最大的隐含排放流，{year} 年",
    },
    "fig_map": {
        "en": "PBA - CBA per capita, {year}",
        "zh": "人均 PBA - CBA，{year} 年",
    },
    "absolute": {"en": "absolute", "zh": "总量"},
    "per_capita": {"en": "per capita", "zh": "人均"},
    "current_prices": {"en": "current prices", "zh": "现价"},
    "constant_prices": {"en": "constant prices", "zh": "不变价"},
    "index": {"en": "index", "zh": "指数"},
    "no_data": {"en": "no data", "zh": "无数据"},
    "net_exporter": {"en": "net exporter (PBA > CBA)", "zh": "净出口（PBA > CBA）"},
    "net_importer": {"en": "net importer (PBA < CBA), dotted", "zh": "净进口（PBA < CBA），点状"},
    "extended_legend": {"en": "estimated years (dashed, hatched)", "zh": "估算年份（虚线、阴影）"},
    "table_legend": {"en": "real table", "zh": "真实表格"},
    "extended_year_box": {
        "en": "EXTENDED YEAR: {basis}",
        "zh": "估算年份：{basis}",
    },
    "caption": {
        "en": "Source: {source} ({version}); {emissions}. Basis: {basis}. "
        "mrio_tools, MRIO final-demand view.",
        "zh": "来源：{source}（{version}）；{emissions}。基础：{basis}。"
        "mrio_tools，多区域投入产出最终需求视角。",
    },
    "caption_map": {
        "en": " Boundaries: Natural Earth 1:110m (public domain). RoW and countries outside the table: grey.",
        "zh": " 边界：Natural Earth 1:110m（公有领域）。世界其他地区及表外国家：灰色。",
    },
    "benchmark_prices_note": {
        "en": " In years estimated from the table of another year, money is at that table's prices.",
        "zh": " 由其他年份表格推算的年份，货币按该表格年份的价格计。",
    },
    "constant_note": {
        "en": "Constant prices were not computed for this series (export_intensity.csv absent).",
        "zh": "本序列未计算不变价（缺少 export_intensity.csv）。",
    },
    # table and sheet names
    "sheet_accounts": {"en": "accounts by country", "zh": "各国账户"},
    "sheet_groups": {"en": "groups", "zh": "国家组"},
    "sheet_per_capita": {"en": "per capita", "zh": "人均"},
    "sheet_export_intensity": {"en": "export intensity", "zh": "出口碳强度"},
    "sheet_top_flows": {"en": "top flows", "zh": "最大流量"},
    "sheet_findings": {"en": "findings", "zh": "主要发现"},
    "sheet_skill": {"en": "skill test", "zh": "外推检验"},
    "sheet_skill_cases": {"en": "skill test cases", "zh": "外推检验案例"},
    "sheet_extended_errors": {"en": "error of extended years", "zh": "外推年份的误差"},
    "extended_errors_caption": {
        "en": "Expected error of every extended year: real years rebuilt from other real years by the same "
        "basis at the same horizon (years to its farthest benchmark); median and 90th percentile over all "
        "regions of |relative error| of CBA and EEE, in %; empty beyond the horizons tested",
        "zh": "每个外推年份的预期误差：用其他真实年份按相同方法、相同时距（到最远基准年的年数）重建真实年份；"
        "所有地区 CBA 与 EEE 相对误差绝对值的中位数和第 90 百分位数（%）；超出检验时距者留空",
    },
    "sheet_output_gap": {"en": "output gap", "zh": "总产出差额"},
    "col_year": {"en": "year", "zh": "年份"},
    "col_region": {"en": "region", "zh": "地区"},
    "col_group": {"en": "group", "zh": "国家组"},
    "col_basis": {"en": "basis", "zh": "数据基础"},
    "col_origin": {"en": "origin", "zh": "来源地"},
    "col_destination": {"en": "destination", "zh": "目的地"},
    "col_value": {"en": "value", "zh": "数值"},
    "col_variant": {"en": "series", "zh": "序列"},
    "col_grouping": {"en": "grouping", "zh": "分组方式"},
    **PAGE_TEXT,
}

ACCOUNT_NAMES: Final[dict[str, dict[str, str]]] = {
    "PBA": {"en": "PBA", "zh": "生产侧排放 PBA"},
    "CBA": {"en": "CBA", "zh": "消费侧排放 CBA"},
    "EEE": {"en": "EEE (embodied in exports)", "zh": "出口隐含排放 EEE"},
    "EEI": {"en": "EEI (embodied in imports)", "zh": "进口隐含排放 EEI"},
    "NET_TRANSFER": {"en": "PBA - CBA", "zh": "PBA - CBA"},
    "HOUSEHOLD_DIRECT": {"en": "households' direct", "zh": "居民直接排放"},
    "GROSS_EXPORTS": {"en": "gross exports", "zh": "总出口"},
    "EXPORT_INTENSITY_TOTAL": {"en": "export intensity (total)", "zh": "出口碳强度（全部）"},
    "EXPORT_INTENSITY_DOMESTIC": {"en": "export intensity (domestic)", "zh": "出口碳强度（国内）"},
    "PBA_PER_CAPITA": {"en": "PBA per capita", "zh": "人均 PBA"},
    "CBA_PER_CAPITA": {"en": "CBA per capita", "zh": "人均 CBA"},
    "NET_TRANSFER_PER_CAPITA": {"en": "PBA - CBA per capita", "zh": "人均 PBA - CBA"},
    # the methods beyond the basic accounts (docs/methods.md; report.methods_section)
    "CBA_EEBT": {"en": "CBA, trade view (EEBT)", "zh": "消费侧排放（贸易视角 EEBT）"},
    "CBA_EEBT_MINUS_MRIO": {"en": "trade view minus MRIO view", "zh": "贸易视角减 MRIO 视角"},
    "EEBT_DIFF_REEXPORTED": {"en": "of which re-exported inputs", "zh": "其中：再出口的中间投入"},
    "EEBT_DIFF_OTHER": {"en": "of which the rest", "zh": "其中：其余部分"},
    "TCBA": {"en": "technology-adjusted CBA", "zh": "技术调整的消费侧排放 TCBA"},
    "EEE_WORLD_AVERAGE": {"en": "exports at world-average intensity", "zh": "按世界平均强度计的出口排放"},
    "IBA": {"en": "income-based account", "zh": "收入侧排放 IBA"},
    "EXPORT_INTENSITY_START": {"en": "export intensity, first year", "zh": "出口碳强度（起始年）"},
    "EXPORT_INTENSITY_END": {"en": "export intensity, last year", "zh": "出口碳强度（末年）"},
    "SDA_TOTAL_CHANGE": {"en": "total change", "zh": "总变化"},
    "SDA_INTENSITY_EFFECT": {"en": "intensity effect", "zh": "强度效应"},
    "SDA_TECHNOLOGY_EFFECT": {"en": "technology effect", "zh": "技术效应"},
    "SDA_EXPORT_MIX_EFFECT": {"en": "export-mix effect", "zh": "出口结构效应"},
    "NET_TRANSFER_SECTOR_EMITTING": {"en": "net transfer by emitting sector", "zh": "按排放部门的净转移"},
    "NET_TRANSFER_SECTOR_PRODUCT": {"en": "net transfer by traded product", "zh": "按贸易产品的净转移"},
    "NET_TRANSFER_SET_EMITTING": {
        "en": "net transfer of a sector set, emitting view",
        "zh": "部门组净转移（排放部门视角）",
    },
    "NET_TRANSFER_SET_PRODUCT": {
        "en": "net transfer of a sector set, product view",
        "zh": "部门组净转移（产品视角）",
    },
    "SECTOR_EXPORTS_EMITTING": {"en": "sector's emissions for demand abroad", "zh": "部门为国外需求的排放"},
    "SECTOR_EXPORTS_PRODUCT": {"en": "product's embodied exports (EEBT)", "zh": "产品出口隐含排放（EEBT）"},
    "FOOTPRINT_INTENSITY": {"en": "footprint intensity", "zh": "碳足迹强度"},
}


def text(lang: Lang, key: str, **values: object) -> str:
    """The report text `key` in `lang`, with `values` filled in."""
    return TEXT[key][lang].format(**values)


def account_name(account: str, lang: Lang) -> str:
    """The reader's name of an account (`PBA`, ...); an unknown one as it is."""
    return ACCOUNT_NAMES.get(account, {}).get(lang, account)


@functools.cache
def _name_table() -> dict[str, dict[str, str]]:
    path = resources.files("mrio_tools") / "data" / "i18n" / "region_names.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["code"].casefold(): row for row in csv.DictReader(handle)}


@functools.cache
def region_name(code: str, lang: Lang) -> str:
    """The name of region or group `code` in `lang` (sources: module docstring)."""
    row = _name_table().get(code.casefold())
    if row is not None:
        return row[lang]
    if code.startswith("Demo "):
        return ("演示区域 " + code.removeprefix("Demo ")) if lang == "zh" else code
    if lang == "en" and len(code) == 3 and code.isupper():
        import country_converter as coco

        name = coco.convert(code, src="ISO3", to="name_short", not_found=None)
        if isinstance(name, str) and name:
            return name
    return code
