from .certificates import Certificate, CertificateQuerySet, CertificateType
from .organisation import Department, Position
from .people import Employee, EmployeeNote, EmployeeStatus, NoteKind

__all__ = [
    "Certificate",
    "CertificateQuerySet",
    "CertificateType",
    "Department",
    "Employee",
    "EmployeeNote",
    "EmployeeStatus",
    "NoteKind",
    "Position",
]
