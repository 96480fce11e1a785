"""Procurement and budget models, one module per subject."""

from dpti.procurement.models.budget import (
    BudgetAmendment,
    BudgetLine,
    Commitment,
    FiscalYear,
    PaymentCredit,
    ProgrammeAuthorisation,
    Section,
)
from dpti.procurement.models.contracts import (
    Amendment,
    Contract,
    ContractKind,
    ContractLot,
    PurchaseNeed,
    ServiceOrder,
)
from dpti.procurement.models.orders import Invoice, PaymentSuspension, PurchaseOrder
from dpti.procurement.models.reference import (
    LatePaymentRate,
    Procedure,
    ProcedureThreshold,
    ProcurementRules,
    PurchaseCategory,
    PurchaseKind,
    TaxRate,
)

__all__ = [
    "Amendment",
    "BudgetAmendment",
    "BudgetLine",
    "Commitment",
    "Contract",
    "ContractKind",
    "ContractLot",
    "FiscalYear",
    "Invoice",
    "LatePaymentRate",
    "PaymentCredit",
    "PaymentSuspension",
    "Procedure",
    "ProcedureThreshold",
    "ProcurementRules",
    "ProgrammeAuthorisation",
    "PurchaseCategory",
    "PurchaseKind",
    "PurchaseNeed",
    "PurchaseOrder",
    "Section",
    "ServiceOrder",
    "TaxRate",
]
