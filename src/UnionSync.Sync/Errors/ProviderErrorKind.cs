namespace UnionSync.Sync.Errors;

public enum ProviderErrorKind
{
    Other,
    UniqueViolation,
    ForeignKeyViolation,
    CheckViolation,
    NotNullViolation,
    SerializationFailure,
    Deadlock,
    ConnectionFailure,
}
