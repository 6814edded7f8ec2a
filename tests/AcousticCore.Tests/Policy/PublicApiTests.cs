using System.Reflection;
using System.Text;
using AcousticCore.Policy;
using Xunit;

namespace AcousticCore.Tests.Policy;

/// <summary>
/// Freezes the public surface of AcousticCore.Policy (approved listing beside this file) and proves
/// that nothing public exposes the identification engine or can make a Grant.
/// </summary>
public sealed class PublicApiTests
{
    private static readonly Assembly Core = typeof(Grant).Assembly;

    [Fact]
    public void Policy_public_surface_matches_the_approved_listing()
    {
        string actual = Listing("AcousticCore.Policy");
        string approvedPath = Path.Combine(AppContext.BaseDirectory, "Policy", "PolicyPublicApi.approved.txt");
        string approved = File.ReadAllText(approvedPath).ReplaceLineEndings("\n");
        if (approved != actual)
        {
            string received = Path.Combine(Path.GetTempPath(), "PolicyPublicApi.received.txt");
            File.WriteAllText(received, actual);
            Assert.Fail($"Public API of AcousticCore.Policy changed; review {received} and copy it over the approved file if intended.");
        }
    }

    [Fact]
    public void Nothing_in_Identification_is_public()
    {
        var exposed = Core.GetExportedTypes().Where(t => t.Namespace == "AcousticCore.Identification").ToList();
        Assert.Empty(exposed);
    }

    [Fact]
    public void No_public_member_anywhere_mentions_an_Identification_type()
    {
        var offenders = new List<string>();
        foreach (var type in Core.GetExportedTypes())
        {
            if (type.BaseType is { } b && IsIdentification(b)) offenders.Add(type.FullName!);
            foreach (var i in type.GetInterfaces()) if (IsIdentification(i)) offenders.Add(type.FullName + " : " + i.Name);
            foreach (var m in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                foreach (var t in MemberTypes(m))
                {
                    if (IsIdentification(t)) offenders.Add($"{type.FullName}.{m.Name}");
                }
            }
        }

        Assert.Empty(offenders);
    }

    [Fact]
    public void Grant_cannot_be_made_or_subclassed_from_outside()
    {
        Assert.True(typeof(Grant).IsSealed);
        Assert.Empty(typeof(Grant).GetConstructors(BindingFlags.Public | BindingFlags.Instance));
        Assert.All(typeof(Grant).GetConstructors(BindingFlags.NonPublic | BindingFlags.Instance), c => Assert.True(c.IsAssembly));
        // No public static factory anywhere returns a Grant; the only public source is TokenVerification.Grant.
        var sources = Core.GetExportedTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => MemberTypes(m).Take(1).Contains(typeof(Grant)))
            .Select(m => m.DeclaringType!.Name + "." + m.Name)
            .ToList();
        Assert.Equal(new[] { "TokenVerification.get_Grant", "TokenVerification.Grant" }.Order(), sources.Order());
        // Grant's properties have no public setters.
        Assert.All(typeof(Grant).GetProperties(), p => Assert.True(p.SetMethod is null || !p.SetMethod.IsPublic));
    }

    private static bool IsIdentification(Type t)
    {
        if (t.HasElementType) return IsIdentification(t.GetElementType()!);
        if (t.IsGenericType && t.GetGenericArguments().Any(IsIdentification)) return true;
        return t.Namespace == "AcousticCore.Identification";
    }

    // Return type first, then parameter types.
    private static IEnumerable<Type> MemberTypes(MemberInfo m)
    {
        switch (m)
        {
            case MethodInfo mi:
                yield return mi.ReturnType;
                foreach (var p in mi.GetParameters()) yield return p.ParameterType;
                break;
            case ConstructorInfo ci:
                yield return typeof(void);
                foreach (var p in ci.GetParameters()) yield return p.ParameterType;
                break;
            case PropertyInfo pi:
                yield return pi.PropertyType;
                break;
            case FieldInfo fi:
                yield return fi.FieldType;
                break;
            case EventInfo ei:
                yield return ei.EventHandlerType!;
                break;
        }
    }

    private static string Listing(string ns)
    {
        var sb = new StringBuilder();
        foreach (var type in Core.GetExportedTypes().Where(t => t.Namespace == ns).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            string kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" :
                type.IsAbstract && type.IsSealed ? "static class" : type.IsSealed ? "sealed class" : "class";
            sb.Append(kind).Append(' ').Append(Name(type)).Append('\n');
            var members = new List<string>();
            foreach (var m in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                string? line = m switch
                {
                    ConstructorInfo c => $"ctor({Params(c)})",
                    MethodInfo mi when !mi.IsSpecialName => $"{(mi.IsStatic ? "static " : "")}{Name(mi.ReturnType)} {mi.Name}({Params(mi)})",
                    PropertyInfo p => $"{(p.GetMethod?.IsStatic == true ? "static " : "")}{Name(p.PropertyType)} {p.Name} {{{(p.GetMethod?.IsPublic == true ? " get;" : "")}{(p.SetMethod?.IsPublic == true ? (p.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Any(x => x.Name == "IsExternalInit") ? " init;" : " set;") : "")} }}",
                    FieldInfo f when type.IsEnum && f.IsStatic => $"{f.Name} = {Convert.ToInt64(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}",
                    FieldInfo f when !type.IsEnum => $"{(f.IsStatic ? "static " : "")}{(f.IsLiteral ? "const " : "")}{Name(f.FieldType)} {f.Name}",
                    _ => null,
                };
                if (line is not null) members.Add("    " + line);
            }

            if (!type.IsEnum) members.Sort(StringComparer.Ordinal);
            foreach (var l in members) sb.Append(l).Append('\n');
        }

        return sb.ToString();
    }

    private static string Params(MethodBase m) => string.Join(", ", m.GetParameters().Select(p => Name(p.ParameterType) + " " + p.Name));

    private static string Name(Type t)
    {
        if (t.IsByRef) return Name(t.GetElementType()!) + "&";
        if (t.IsArray) return Name(t.GetElementType()!) + "[]";
        if (Nullable.GetUnderlyingType(t) is { } u) return Name(u) + "?";
        if (!t.IsGenericType) return t.Namespace is "System" or "AcousticCore.Policy" ? t.Name : t.FullName ?? t.Name;
        string n = t.Name[..t.Name.IndexOf('`', StringComparison.Ordinal)];
        return (t.Namespace is "System" or "AcousticCore.Policy" ? n : t.Namespace + "." + n) + "<" + string.Join(", ", t.GetGenericArguments().Select(Name)) + ">";
    }
}
